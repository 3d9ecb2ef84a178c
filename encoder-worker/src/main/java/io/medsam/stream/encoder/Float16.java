package io.medsam.stream.encoder;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * IEEE 754 binary16 conversion with round-to-nearest-even, the rounding PyTorch and NumPy use for
 * {@code .half()}. Java 17 lacks {@code Float.floatToFloat16} (added in Java 20), so the
 * embeddings' wire format is produced here. NaN stays NaN (quiet), overflow becomes infinity,
 * values below half the smallest subnormal become signed zero.
 */
public final class Float16 {

  private Float16() {}

  /** Rounds a float to the nearest binary16 value (ties to even) and returns its 16 bits. */
  public static short fromFloat(final float value) {
    final int bits = Float.floatToRawIntBits(value);
    final int sign = (bits >>> 16) & 0x8000;
    final int exponent = (bits >>> 23) & 0xFF;
    final int mantissa = bits & 0x7FFFFF;
    if (exponent == 0xFF) {
      if (mantissa == 0) {
        return (short) (sign | 0x7C00);
      }
      // keep the top payload bits and force the quiet bit so the result is still a NaN
      return (short) (sign | 0x7C00 | 0x200 | (mantissa >>> 13));
    }
    final int halfExponent = exponent - 127 + 15;
    if (halfExponent >= 0x1F) {
      return (short) (sign | 0x7C00);
    }
    if (halfExponent <= 0) {
      if (halfExponent < -10) {
        return (short) sign; // below 2^-25: rounds to zero
      }
      final int significand = mantissa | 0x800000;
      final int shift = 14 - halfExponent;
      return (short) (sign | roundShift(significand, shift));
    }
    // a carry out of the mantissa correctly bumps the exponent (and reaches infinity at the top)
    final int truncated = (halfExponent << 10) | (mantissa >>> 13);
    final int remainder = mantissa & 0x1FFF;
    return (short) (sign | roundUp(truncated, remainder, 0x1000));
  }

  /** Widens binary16 bits to the float they represent (exact). */
  public static float toFloat(final short half) {
    final int h = half & 0xFFFF;
    final int sign = (h & 0x8000) << 16;
    final int exponent = (h >>> 10) & 0x1F;
    final int mantissa = h & 0x3FF;
    if (exponent == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      final float magnitude = mantissa * 0x1p-24f; // subnormal (or zero): exact in float
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
  }

  /** Encodes floats as little-endian binary16, two bytes per value. */
  public static byte[] toLittleEndianBytes(final FloatBuffer values) {
    final FloatBuffer source = values.duplicate();
    final ByteBuffer out =
        ByteBuffer.allocate(source.remaining() * 2).order(ByteOrder.LITTLE_ENDIAN);
    while (source.hasRemaining()) {
      out.putShort(fromFloat(source.get()));
    }
    return out.array();
  }

  /** Encodes floats as little-endian binary16, two bytes per value. */
  public static byte[] toLittleEndianBytes(final float[] values) {
    return toLittleEndianBytes(FloatBuffer.wrap(values));
  }

  /** Decodes little-endian binary16 bytes back to floats. */
  public static float[] fromLittleEndianBytes(final ByteBuffer bytes) {
    final ByteBuffer source = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    final float[] out = new float[source.remaining() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = toFloat(source.getShort());
    }
    return out;
  }

  private static int roundShift(final int significand, final int shift) {
    final int truncated = significand >>> shift;
    final int remainder = significand & ((1 << shift) - 1);
    return roundUp(truncated, remainder, 1 << (shift - 1));
  }

  private static int roundUp(final int truncated, final int remainder, final int halfway) {
    if (remainder > halfway || (remainder == halfway && (truncated & 1) == 1)) {
      return truncated + 1;
    }
    return truncated;
  }
}
