package io.medsam.stream.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class Float16Test {

  @Test
  void matchesNumpyRoundToNearestEvenOnRandomTiesAndSpecials() throws IOException {
    final List<String> lines;
    try (InputStream in = getClass().getResourceAsStream("/fp16/fp16_numpy.txt")) {
      lines = new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().toList();
    }
    assertThat(lines).hasSizeGreaterThan(5000);
    int checked = 0;
    for (final String line : lines) {
      final String[] parts = line.split(" ");
      final float value = Float.intBitsToFloat(Integer.parseUnsignedInt(parts[0], 16));
      final int expected = Integer.parseInt(parts[1], 16);
      assertThat(Float16.fromFloat(value) & 0xFFFF)
          .as("float %s (bits %s)", value, parts[0])
          .isEqualTo(expected);
      checked++;
    }
    assertThat(checked).isEqualTo(lines.size());
  }

  @Test
  void everyFiniteHalfRoundTripsExactly() {
    for (int h = 0; h < 0x10000; h++) {
      final short half = (short) h;
      final float widened = Float16.toFloat(half);
      if (Float.isNaN(widened)) {
        assertThat((h & 0x7C00) == 0x7C00 && (h & 0x3FF) != 0).isTrue();
        assertThat(Float.isNaN(Float16.toFloat(Float16.fromFloat(widened)))).isTrue();
        continue;
      }
      assertThat(Float16.fromFloat(widened) & 0xFFFF).as("half %04x", h).isEqualTo(h);
    }
  }

  @Test
  void midpointsBetweenNeighboursGoToTheEvenOneAndNudgesGoToTheNearer() {
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
    assertThat(Float16.fromFloat(65520f)).isEqualTo((short) 0x7C00); // tie rounds up to inf
    assertThat(Float16.fromFloat(Float.NEGATIVE_INFINITY)).isEqualTo((short) 0xFC00);
    assertThat(Float16.fromFloat(0x1p-25f)).isEqualTo((short) 0); // tie to even zero
    assertThat(Float16.fromFloat(Math.nextUp(0x1p-25f))).isEqualTo((short) 1);
    assertThat(Float16.fromFloat(-0f)).isEqualTo((short) 0x8000);
    assertThat(Float.isNaN(Float16.toFloat(Float16.fromFloat(Float.NaN)))).isTrue();
  }

  @Test
  void littleEndianBytesRoundTrip() {
    final float[] values = {1f, -2.5f, 0.333f, 1000f};
    final byte[] bytes = Float16.toLittleEndianBytes(values);
    assertThat(bytes).hasSize(8);
    assertThat(bytes[0]).isEqualTo((byte) 0x00); // 1.0 = 0x3C00, low byte first
    assertThat(bytes[1]).isEqualTo((byte) 0x3C);
    final float[] back = Float16.fromLittleEndianBytes(ByteBuffer.wrap(bytes));
    assertThat(back).containsExactly(1f, -2.5f, Float16.toFloat(Float16.fromFloat(0.333f)), 1000f);
  }
}
