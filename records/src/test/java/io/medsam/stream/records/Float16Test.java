package io.medsam.stream.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class Float16Test {

  /** NumPy's float32 to float16 on random values, ties and specials (make_fp16_fixture.py). */
  @Test
  void narrowingMatchesNumpyOnRandomValuesTiesAndSpecials() throws IOException {
    final List<String> lines;
    try (InputStream in = getClass().getResourceAsStream("/fp16/fp16_numpy.txt")) {
      lines = new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().toList();
    }
    assertThat(lines).hasSizeGreaterThan(5000);
    for (final String line : lines) {
      final String[] parts = line.split(" ");
      final float value = Float.intBitsToFloat(Integer.parseUnsignedInt(parts[0], 16));
      assertThat(Float16.fromFloat(value) & 0xFFFF)
          .as("float %s (bits %s)", value, parts[0])
          .isEqualTo(Integer.parseInt(parts[1], 16));
    }
  }

  @Test
  void everyHalfWidensAndNarrowsBackToItself() {
    for (int h = 0; h < 0x10000; h++) {
      final float widened = Float16.toFloat((short) h);
      if (Float.isNaN(widened)) {
        assertThat((h & 0x7C00) == 0x7C00 && (h & 0x3FF) != 0).as("NaN %04x", h).isTrue();
        assertThat(Float.isNaN(Float16.toFloat(Float16.fromFloat(widened)))).isTrue();
      } else {
        assertThat(Float16.fromFloat(widened) & 0xFFFF).as("half %04x", h).isEqualTo(h);
      }
    }
  }

  @Test
  void widensNormalSubnormalAndSpecialValues() {
    assertThat(Float16.toFloat((short) 0x3c00)).isEqualTo(1.0f);
    assertThat(Float16.toFloat((short) 0xc000)).isEqualTo(-2.0f);
    assertThat(Float16.toFloat((short) 0x7bff)).isEqualTo(65504f);
    assertThat(Float16.toFloat((short) 0x3555)).isEqualTo(0.33325195f);
    assertThat(Float16.toFloat((short) 0x0001)).isEqualTo(0x1p-24f);
    assertThat(Float16.toFloat((short) 0x03ff)).isEqualTo(1023 * 0x1p-24f);
    assertThat(Float16.toFloat((short) 0x8000)).isEqualTo(-0.0f);
    assertThat(Float16.toFloat((short) 0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(Float16.toFloat((short) 0x7e00)).isNaN();
  }

  @Test
  void midpointsGoToTheEvenNeighbourAndNudgesToTheNearerOne() {
    for (int h = 0; h < 0x7BFF; h++) {
      final float low = Float16.toFloat((short) h);
      final float high = Float16.toFloat((short) (h + 1));
      final float mid = (low + high) / 2; // exact: halves carry 11 significant bits
      final int even = (h & 1) == 0 ? h : h + 1;
      assertThat(Float16.fromFloat(mid) & 0xFFFF).as("tie after %04x", h).isEqualTo(even);
      assertThat(Float16.fromFloat(Math.nextDown(mid)) & 0xFFFF).isEqualTo(h);
      assertThat(Float16.fromFloat(Math.nextUp(mid)) & 0xFFFF).isEqualTo(h + 1);
      assertThat(Float16.fromFloat(-mid) & 0xFFFF).isEqualTo(even | 0x8000);
    }
  }

  @Test
  void overflowUnderflowAndSpecials() {
    assertThat(Float16.fromFloat(65504f)).isEqualTo((short) 0x7BFF);
    assertThat(Float16.fromFloat(65520f)).isEqualTo((short) 0x7C00); // the tie rounds up to inf
    assertThat(Float16.fromFloat(Float.NEGATIVE_INFINITY)).isEqualTo((short) 0xFC00);
    assertThat(Float16.fromFloat(0x1p-25f)).isEqualTo((short) 0); // tie to the even zero
    assertThat(Float16.fromFloat(Math.nextUp(0x1p-25f))).isEqualTo((short) 1);
    assertThat(Float16.fromFloat(-0f)).isEqualTo((short) 0x8000);
    assertThat(Float.isNaN(Float16.toFloat(Float16.fromFloat(Float.NaN)))).isTrue();
  }

  @Test
  void bytesAreLittleEndianAndRoundTrip() {
    final float[] values = {7f, 1f, -2.5f, 0.333f, 1000f};
    final byte[] bytes = Float16.encode(values, 1, 4);
    assertThat(bytes).hasSize(8);
    assertThat(bytes[0]).isEqualTo((byte) 0x00); // 1.0 = 0x3C00, low byte first
    assertThat(bytes[1]).isEqualTo((byte) 0x3C);
    assertThat(Float16.decode(ByteBuffer.wrap(bytes)))
        .containsExactly(1f, -2.5f, Float16.toFloat(Float16.fromFloat(0.333f)), 1000f);
  }

  @Test
  void decodesFromTheBufferPositionIntoAnOffsetWithoutMovingIt() {
    final ByteBuffer b = ByteBuffer.allocate(6).order(ByteOrder.BIG_ENDIAN);
    b.put((byte) 0x55).put((byte) 0x00).put((byte) 0x3c).put((byte) 0x00).put((byte) 0x40);
    b.position(1).limit(5);
    final float[] out = new float[3];
    assertThat(Float16.decode(b, out, 1)).isEqualTo(2);
    assertThat(out).containsExactly(0f, 1f, 2f);
    assertThat(b.position()).isEqualTo(1);
  }
}
