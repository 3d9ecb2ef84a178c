package io.medsam.stream.imaging.preprocess;

/**
 * Bilinear resampling with the semantics of PyTorch's {@code F.interpolate(mode="bilinear",
 * align_corners=False)} (no antialiasing): output pixel d samples source coordinate {@code (d +
 * 0.5) * in / out - 0.5}, clamped below at 0, and the upper neighbour is clamped to the last
 * row/column. Arithmetic is in float, as PyTorch does for float tensors.
 */
public final class BilinearResize {

  private BilinearResize() {}

  /** Resizes a row-major single-channel image {@code h x w} to {@code outH x outW}. */
  public static float[] resize(
      final float[] src, final int h, final int w, final int outH, final int outW) {
    if (src.length != h * w || h <= 0 || w <= 0 || outH <= 0 || outW <= 0) {
      throw new IllegalArgumentException(
          "bad resize " + h + "x" + w + " (" + src.length + " values) to " + outH + "x" + outW);
    }
    final int[] x0 = new int[outW];
    final int[] x1 = new int[outW];
    final float[] wx1 = new float[outW];
    axis(w, outW, x0, x1, wx1);
    final int[] y0 = new int[outH];
    final int[] y1 = new int[outH];
    final float[] wy1 = new float[outH];
    axis(h, outH, y0, y1, wy1);
    final float[] out = new float[outH * outW];
    for (int r = 0; r < outH; r++) {
      final int row0 = y0[r] * w;
      final int row1 = y1[r] * w;
      final float b = wy1[r];
      final float a = 1.0f - b;
      for (int c = 0; c < outW; c++) {
        final float q = wx1[c];
        final float p = 1.0f - q;
        out[r * outW + c] =
            a * (p * src[row0 + x0[c]] + q * src[row0 + x1[c]])
                + b * (p * src[row1 + x0[c]] + q * src[row1 + x1[c]]);
      }
    }
    return out;
  }

  /** Resizes an unsigned 8-bit single-channel image to float values. */
  public static float[] resize(
      final byte[] src, final int h, final int w, final int outH, final int outW) {
    final float[] f = new float[src.length];
    for (int n = 0; n < src.length; n++) {
      f[n] = src[n] & 0xff;
    }
    return resize(f, h, w, outH, outW);
  }

  private static void axis(
      final int in, final int out, final int[] i0, final int[] i1, final float[] w1) {
    final float scale = (float) in / out;
    for (int d = 0; d < out; d++) {
      float s = scale * (d + 0.5f) - 0.5f;
      if (s < 0) {
        s = 0;
      }
      final int lo = (int) s;
      i0[d] = lo;
      i1[d] = lo < in - 1 ? lo + 1 : lo;
      w1[d] = s - lo;
    }
  }
}
