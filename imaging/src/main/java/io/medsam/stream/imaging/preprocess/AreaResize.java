package io.medsam.stream.imaging.preprocess;

/**
 * LiteMedSAM's resize ({@link ResizeRule#LITEMEDSAM}): OpenCV 4.6's {@code cv2.resize(image, (outW,
 * outH), interpolation=cv2.INTER_AREA)} for one 8-bit channel. The source extent per output pixel
 * is {@code s = 1.0 / ((double) out / in)} per axis (computed this way, as OpenCV does; {@code in /
 * out} can differ in the last bit and move a floor at exact multiples). Three paths:
 *
 * <ul>
 *   <li>both extents integers (within 1 ulp of 1): the mean of each block; 2 x 2 blocks round as
 *       {@code (sum + 2) >> 2}, other blocks as {@code float(sum) * float(1 / (sx sy))} rounded
 *       half to even;
 *   <li>both extents &gt;= 1 otherwise (shrinking): output cell d covers source [d s, (d + 1) s);
 *       each source pixel weighs its overlap with the cell divided by the cell width {@code min(s,
 *       in - d s)} (a partial end pixel only when the overlap exceeds 1e-3), weights in float; the
 *       products are summed in float along each source row (increasing column), then over the rows
 *       (increasing row), and the result rounded half to even;
 *   <li>otherwise (enlarging): per axis the output blends source {@code x0 = floor(d s)} and {@code
 *       x0 + 1} (clamped) with weight {@code f = frac((d + 1) - (x0 + 1) / s)} on {@code x0 + 1} (0
 *       if that is &lt;= 0, and 0 at the last source pixel), in 11-bit fixed point {@code a1 =
 *       rint(2048 f)}, {@code a0 = 2048 - a1}; a row is {@code p[x0] a0 + p[x0 + 1] a1}, the
 *       vertical blend {@code ((b0 (r0 >> 4)) >> 16) + ((b1 (r1 >> 4)) >> 16)}, the pixel {@code (v
 *       + 2) >> 2}.
 * </ul>
 */
public final class AreaResize {

  private AreaResize() {}

  /**
   * Resizes a row-major single-channel 8-bit image {@code h x w} (values read unsigned) to {@code
   * outH x outW}, returning unsigned bytes.
   */
  public static byte[] resize(
      final byte[] src, final int h, final int w, final int outH, final int outW) {
    if (src.length != h * w || h <= 0 || w <= 0 || outH <= 0 || outW <= 0) {
      throw new IllegalArgumentException(
          "bad resize " + h + "x" + w + " (" + src.length + " values) to " + outH + "x" + outW);
    }
    final double sy = scale(h, outH);
    final double sx = scale(w, outW);
    if (sy >= 1 && sx >= 1) {
      final int ky = (int) Math.rint(sy);
      final int kx = (int) Math.rint(sx);
      if (Math.abs(sy - ky) < Math.ulp(1.0) && Math.abs(sx - kx) < Math.ulp(1.0)) {
        return blockMean(src, w, outH, outW, ky, kx);
      }
      return shrink(src, h, w, outH, outW);
    }
    return enlarge(src, h, w, outH, outW);
  }

  /** Source pixels per output pixel as OpenCV computes it: 1 / (out / in) in double. */
  static double scale(final int in, final int out) {
    return 1.0 / ((double) out / in);
  }

  private static byte[] blockMean(
      final byte[] src, final int w, final int outH, final int outW, final int ky, final int kx) {
    final byte[] out = new byte[outH * outW];
    final float inv = (float) (1.0 / (ky * kx));
    for (int r = 0; r < outH; r++) {
      for (int c = 0; c < outW; c++) {
        int sum = 0;
        for (int i = 0; i < ky; i++) {
          final int row = (r * ky + i) * w + c * kx;
          for (int j = 0; j < kx; j++) {
            sum += src[row + j] & 0xff;
          }
        }
        out[r * outW + c] =
            (byte) (ky == 2 && kx == 2 ? (sum + 2) >> 2 : roundToByte((float) sum * inv));
      }
    }
    return out;
  }

  private static byte[] shrink(
      final byte[] src, final int h, final int w, final int outH, final int outW) {
    final Cells x = new Cells(w, outW);
    final Cells y = new Cells(h, outH);
    // horizontal pass: per source row, float sums in increasing column order
    final float[] rows = new float[h * outW];
    for (int r = 0; r < h; r++) {
      final int row = r * w;
      for (int d = 0; d < outW; d++) {
        float acc = 0f;
        for (int k = x.start[d]; k < x.start[d + 1]; k++) {
          acc += (float) (src[row + x.index[k]] & 0xff) * x.weight[k];
        }
        rows[r * outW + d] = acc;
      }
    }
    // vertical pass: per output row, float sums over the source rows in increasing order
    final byte[] out = new byte[outH * outW];
    final float[] acc = new float[outW];
    for (int d = 0; d < outH; d++) {
      java.util.Arrays.fill(acc, 0f);
      for (int k = y.start[d]; k < y.start[d + 1]; k++) {
        final float b = y.weight[k];
        final int row = y.index[k] * outW;
        for (int c = 0; c < outW; c++) {
          acc[c] += b * rows[row + c];
        }
      }
      for (int c = 0; c < outW; c++) {
        out[d * outW + c] = (byte) roundToByte(acc[c]);
      }
    }
    return out;
  }

  private static byte[] enlarge(
      final byte[] src, final int h, final int w, final int outH, final int outW) {
    final int[] x0 = new int[outW];
    final int[] ax = new int[outW];
    blend(w, outW, x0, ax);
    final int[] y0 = new int[outH];
    final int[] ay = new int[outH];
    blend(h, outH, y0, ay);
    // horizontal pass in integers, then >> 4, for every source row
    final int[] rows = new int[h * outW];
    for (int r = 0; r < h; r++) {
      final int row = r * w;
      for (int d = 0; d < outW; d++) {
        final int i0 = x0[d];
        final int i1 = Math.min(i0 + 1, w - 1);
        final int a1 = ax[d];
        rows[r * outW + d] =
            ((src[row + i0] & 0xff) * (2048 - a1) + (src[row + i1] & 0xff) * a1) >> 4;
      }
    }
    final byte[] out = new byte[outH * outW];
    for (int d = 0; d < outH; d++) {
      final int r0 = y0[d] * outW;
      final int r1 = Math.min(y0[d] + 1, h - 1) * outW;
      final int b1 = ay[d];
      final int b0 = 2048 - b1;
      for (int c = 0; c < outW; c++) {
        final int v = ((b0 * rows[r0 + c]) >> 16) + ((b1 * rows[r1 + c]) >> 16);
        out[d * outW + c] = (byte) ((v + 2) >> 2);
      }
    }
    return out;
  }

  /**
   * The enlarging path's coefficients along one axis: first source index and the 11-bit weight of
   * the next one.
   */
  private static void blend(final int in, final int out, final int[] index, final int[] alpha) {
    final double inv = (double) out / in;
    final double s = scale(in, out);
    for (int d = 0; d < out; d++) {
      int i0 = (int) Math.floor(d * s);
      float f = (float) ((d + 1) - (i0 + 1) * inv);
      f = f <= 0 ? 0f : f - (float) Math.floor(f);
      if (i0 >= in - 1) {
        i0 = in - 1;
        f = 0f;
      }
      index[d] = i0;
      alpha[d] = (int) Math.rint(f * 2048f);
    }
  }

  private static int roundToByte(final float v) {
    final double r = Math.rint(v);
    return r < 0 ? 0 : r > 255 ? 255 : (int) r;
  }

  /**
   * The shrinking path's weights along one axis, as a compressed list: output d takes source pixels
   * {@code index[start[d] .. start[d + 1])} with float weights, in increasing source order.
   */
  static final class Cells {
    final int[] start;
    final int[] index;
    final float[] weight;

    Cells(final int in, final int out) {
      final double s = scale(in, out);
      start = new int[out + 1];
      final int[] idx = new int[out * ((int) Math.ceil(s) + 2)];
      final float[] wgt = new float[idx.length];
      int n = 0;
      for (int d = 0; d < out; d++) {
        start[d] = n;
        final double f1 = d * s;
        final double f2 = f1 + s;
        final double cell = Math.min(s, in - f1);
        final int s2 = Math.min((int) Math.floor(f2), in - 1);
        final int s1 = Math.min((int) Math.ceil(f1), s2);
        if (s1 - f1 > 1e-3) {
          n = put(idx, wgt, n, s1 - 1, (s1 - f1) / cell);
        }
        for (int i = s1; i < s2; i++) {
          n = put(idx, wgt, n, i, 1.0 / cell);
        }
        if (f2 - s2 > 1e-3) {
          n = put(idx, wgt, n, s2, Math.min(Math.min(f2 - s2, 1.0), cell) / cell);
        }
      }
      start[out] = n;
      index = java.util.Arrays.copyOf(idx, n);
      weight = java.util.Arrays.copyOf(wgt, n);
    }

    private static int put(
        final int[] idx, final float[] wgt, final int n, final int i, final double w) {
      final float f = (float) w;
      if (f == 0f) {
        return n;
      }
      idx[n] = i;
      wgt[n] = f;
      return n + 1;
    }
  }
}
