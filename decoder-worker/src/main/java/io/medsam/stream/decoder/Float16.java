package io.medsam.stream.decoder;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;

/** IEEE 754 half precision to float32, through a 65,536-entry table (Java 17 has no float16). */
final class Float16 {

  private static final float[] TABLE = new float[1 << 16];

  static {
    for (int h = 0; h < TABLE.length; h++) {
      TABLE[h] = convert(h);
    }
  }

  private Float16() {}

  /**
   * Widens little-endian float16 values into {@code out} starting at {@code offset}.
   *
   * @param littleEndian the half-precision bytes (position to limit)
   * @param out destination
   * @param offset first index written
   * @return the number of values written
   */
  static int toFloats(final ByteBuffer littleEndian, final float[] out, final int offset) {
    final ShortBuffer halves =
        littleEndian.duplicate().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
    final int n = halves.remaining();
    for (int i = 0; i < n; i++) {
      out[offset + i] = TABLE[halves.get(i) & 0xffff];
    }
    return n;
  }

  /**
   * @return the float value of one half-precision bit pattern
   */
  static float toFloat(final short bits) {
    return TABLE[bits & 0xffff];
  }

  private static float convert(final int h) {
    final int sign = (h >>> 15) & 0x1;
    final int exp = (h >>> 10) & 0x1f;
    final int mant = h & 0x3ff;
    final float magnitude;
    if (exp == 0) {
      magnitude = mant * 0x1p-24f; // subnormal: mant x 2^-24
    } else if (exp == 0x1f) {
      magnitude = mant == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
    } else {
      magnitude = Float.intBitsToFloat(((exp - 15 + 127) << 23) | (mant << 13));
    }
    return sign == 0 ? magnitude : -magnitude;
  }
}
