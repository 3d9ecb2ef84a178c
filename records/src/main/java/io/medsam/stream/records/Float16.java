package io.medsam.stream.records;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * IEEE 754 binary16 ("float16"), the element type of {@code SliceEmbedding.data}: little-endian,
 * two bytes per value. Narrowing rounds to nearest, ties to even (what PyTorch and NumPy do for
 * {@code .half()}); overflow becomes infinity, values below half the smallest subnormal become a
 * signed zero, a NaN stays a NaN and keeps its top payload bits. Widening is exact. Java 17 has no
 * {@code Float.floatToFloat16} (Java 20), hence this class.
 */
public final class Float16 {

  /** Bytes per value. */
  public static final int BYTES = 2;

  /** Every binary16 bit pattern widened once: bulk decoding is a table lookup per value. */
  private static final float[] WIDENED = new float[1 << 16];

  static {
    for (int h = 0; h < WIDENED.length; h++) {
      WIDENED[h] = widen(h);
    }
  }

  private Float16() {}

  /**
   * @param value any float
   * @return the bits of the nearest binary16 value (ties to even)
   */
  public static short fromFloat(final float value) {
    final int bits = Float.floatToRawIntBits(value);
    final int sign = (bits >>> 16) & 0x8000;
    final int exponent = (bits >>> 23) & 0xFF;
    final int mantissa = bits & 0x7FFFFF;
    if (exponent == 0xFF) {
      // infinity, or a NaN with its top payload bits and the quiet bit (so it stays a NaN)
      return (short) (sign | 0x7C00 | (mantissa == 0 ? 0 : 0x200 | (mantissa >>> 13)));
    }
    final int halfExponent = exponent - 127 + 15;
    if (halfExponent >= 0x1F) {
      return (short) (sign | 0x7C00);
    }
    if (halfExponent <= 0) {
      if (halfExponent < -10) {
        return (short) sign; // below 2^-25: rounds to zero
      }
      final int shift = 14 - halfExponent;
      final int significand = mantissa | 0x800000;
      return (short)
          (sign
              | roundHalfEven(
                  significand >>> shift, significand & ((1 << shift) - 1), 1 << (shift - 1)));
    }
    // a carry out of the mantissa bumps the exponent, up to infinity at the top: still correct
    return (short)
        (sign | roundHalfEven((halfExponent << 10) | (mantissa >>> 13), mantissa & 0x1FFF, 0x1000));
  }

  /**
   * @param half binary16 bits
   * @return the float they represent (exact)
   */
  public static float toFloat(final short half) {
    return WIDENED[half & 0xFFFF];
  }

  /**
   * Narrows {@code length} floats from {@code values[offset]} on.
   *
   * @return little-endian binary16 bytes, two per value
   */
  public static byte[] encode(final float[] values, final int offset, final int length) {
    final ByteBuffer out = ByteBuffer.allocate(length * BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = offset; i < offset + length; i++) {
      out.putShort(fromFloat(values[i]));
    }
    return out.array();
  }

  /** Narrows all of {@code values}; see {@link #encode(float[], int, int)}. */
  public static byte[] encode(final float[] values) {
    return encode(values, 0, values.length);
  }

  /**
   * Widens little-endian binary16 bytes (position to limit; the buffer is not moved) into {@code
   * out} from {@code offset} on.
   *
   * @return the number of values written
   */
  public static int decode(final ByteBuffer littleEndian, final float[] out, final int offset) {
    final ByteBuffer in = littleEndian.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    final int n = in.remaining() / BYTES;
    final int start = in.position();
    for (int i = 0; i < n; i++) {
      out[offset + i] = WIDENED[in.getShort(start + i * BYTES) & 0xFFFF];
    }
    return n;
  }

  /** Widens little-endian binary16 bytes (position to limit) into a new array. */
  public static float[] decode(final ByteBuffer littleEndian) {
    final float[] out = new float[littleEndian.remaining() / BYTES];
    decode(littleEndian, out, 0);
    return out;
  }

  private static float widen(final int h) {
    final int sign = (h & 0x8000) << 16;
    final int exponent = (h >>> 10) & 0x1F;
    final int mantissa = h & 0x3FF;
    if (exponent == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13)); // keeps a NaN's payload
    }
    if (exponent == 0) {
      final float magnitude = mantissa * 0x1p-24f; // zero or subnormal: exact in float
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
  }

  private static int roundHalfEven(final int truncated, final int remainder, final int halfway) {
    if (remainder > halfway || (remainder == halfway && (truncated & 1) == 1)) {
      return truncated + 1;
    }
    return truncated;
  }
}
