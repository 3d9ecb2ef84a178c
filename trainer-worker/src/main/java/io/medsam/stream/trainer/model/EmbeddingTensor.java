package io.medsam.stream.trainer.model;

import io.medsam.stream.avro.SliceEmbedding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Decodes a {@link SliceEmbedding}'s little-endian float16 (or float32) bytes to floats. */
public final class EmbeddingTensor {

  private EmbeddingTensor() {}

  /** The C x h x w values, row-major. */
  public static float[] values(final SliceEmbedding e) {
    final ByteBuffer data = e.getData().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if ("float32".equals(e.getDtype())) {
      final float[] out = new float[data.remaining() / 4];
      data.asFloatBuffer().get(out);
      return out;
    }
    final float[] out = new float[data.remaining() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = halfToFloat(data.getShort());
    }
    return out;
  }

  /** IEEE 754 binary16 to binary32. */
  public static float halfToFloat(final short half) {
    final int h = half & 0xffff;
    final int sign = (h & 0x8000) << 16;
    final int exp = (h >>> 10) & 0x1f;
    final int mant = h & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      final float v = mant * 0x1p-24f;
      return sign == 0 ? v : -v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  /** binary32 to IEEE 754 binary16, rounding to nearest even (used by tests and tools). */
  public static short floatToHalf(final float value) {
    final int f = Float.floatToIntBits(value);
    final int sign = (f >>> 16) & 0x8000;
    final int exp = ((f >>> 23) & 0xff) - 127 + 15;
    int mant = f & 0x7fffff;
    if (((f >>> 23) & 0xff) == 0xff) {
      return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 : 0));
    }
    if (exp >= 0x1f) {
      return (short) (sign | 0x7c00);
    }
    if (exp <= 0) {
      if (exp < -10) {
        return (short) sign;
      }
      mant |= 0x800000;
      final int shift = 14 - exp;
      int half = mant >> shift;
      final int rem = mant & ((1 << shift) - 1);
      final int mid = 1 << (shift - 1);
      if (rem > mid || (rem == mid && (half & 1) == 1)) {
        half++;
      }
      return (short) (sign | half);
    }
    int half = sign | (exp << 10) | (mant >> 13);
    final int rem = mant & 0x1fff;
    if (rem > 0x1000 || (rem == 0x1000 && (half & 1) == 1)) {
      half++;
    }
    return (short) half;
  }
}
