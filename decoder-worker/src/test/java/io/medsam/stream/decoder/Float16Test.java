package io.medsam.stream.decoder;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class Float16Test {

  @Test
  void widensNormalSubnormalAndSpecialValues() {
    assertThat(Float16.toFloat((short) 0x3c00)).isEqualTo(1.0f);
    assertThat(Float16.toFloat((short) 0xc000)).isEqualTo(-2.0f);
    assertThat(Float16.toFloat((short) 0x7bff)).isEqualTo(65504f);
    assertThat(Float16.toFloat((short) 0x3555)).isEqualTo(0.33325195f);
    assertThat(Float16.toFloat((short) 0x0001)).isEqualTo((float) Math.pow(2, -24));
    assertThat(Float16.toFloat((short) 0x03ff)).isEqualTo((float) (1023 * Math.pow(2, -24)));
    assertThat(Float16.toFloat((short) 0x8000)).isEqualTo(-0.0f);
    assertThat(Float16.toFloat((short) 0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(Float16.toFloat((short) 0x7e00)).isNaN();
  }

  @Test
  void readsLittleEndianBuffersAtAnOffset() {
    final ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) 0x3c00).putShort((short) 0x4000).flip();
    final float[] out = new float[3];
    assertThat(Float16.toFloats(b, out, 1)).isEqualTo(2);
    assertThat(out).containsExactly(0f, 1f, 2f);
  }
}
