package io.medsam.stream.decoder;

import io.medsam.stream.decoder.bundle.ResizeRule;

/**
 * Low-res logits (L x L) to a binary mask at the original H x W: bilinear upsampling with
 * PyTorch's align_corners=False arithmetic (float32, source index scale * (dst + 0.5) - 0.5
 * clamped at 0, width weights applied before height weights), threshold at logit 0, COCO RLE.
 * For "longest-side-pad" bundles the logits are first upsampled to S x S and cropped to the
 * resized image, as SAM's postprocess_masks does.
 */
final class MaskRenderer {

  private final ResizeRule rule;
  private final int modelSize;

  MaskRenderer(final ResizeRule rule, final int modelSize) {
    this.rule = rule;
    this.modelSize = modelSize;
  }

  /** @return the rendered mask of one logit plane */
  RenderedMask render(final float[] logits, final int lowRes, final int height, final int width) {
    float[] plane = logits;
    int ph = lowRes;
    int pw = lowRes;
    if (rule == ResizeRule.LONGEST_SIDE_PAD) {
      final double scale = (double) modelSize / Math.max(height, width);
      final int rh = (int) (height * scale + 0.5);
      final int rw = (int) (width * scale + 0.5);
      plane = crop(resize(plane, ph, pw, modelSize, modelSize), modelSize, rh, rw);
      ph = rh;
      pw = rw;
    }
    return encode(resize(plane, ph, pw, height, width), height, width);
  }

  /** Bilinear resize of a row-major plane, PyTorch align_corners=False semantics. */
  static float[] resize(final float[] src, final int sh, final int sw, final int dh, final int dw) {
    final Axis ys = new Axis(sh, dh);
    final Axis xs = new Axis(sw, dw);
    final float[] out = new float[dh * dw];
    for (int r = 0; r < dh; r++) {
      final int row0 = ys.i0[r] * sw;
      final int row1 = ys.i1[r] * sw;
      final float wy0 = ys.w0[r];
      final float wy1 = ys.w1[r];
      for (int c = 0; c < dw; c++) {
        final int c0 = xs.i0[c];
        final int c1 = xs.i1[c];
        final float t0 = src[row0 + c0] * xs.w0[c] + src[row0 + c1] * xs.w1[c];
        final float t1 = src[row1 + c0] * xs.w0[c] + src[row1 + c1] * xs.w1[c];
        out[r * dw + c] = t0 * wy0 + t1 * wy1;
      }
    }
    return out;
  }

  private static float[] crop(final float[] src, final int sw, final int h, final int w) {
    final float[] out = new float[h * w];
    for (int r = 0; r < h; r++) {
      System.arraycopy(src, r * sw, out, r * w, w);
    }
    return out;
  }

  /** Threshold at 0, then COCO RLE (column-major runs, starting with a run of zeros). */
  static RenderedMask encode(final float[] logits, final int height, final int width) {
    final long[] counts = new long[height * width + 1];
    int runs = 0;
    long run = 0;
    boolean value = false;
    long area = 0;
    int minR = Integer.MAX_VALUE;
    int minC = Integer.MAX_VALUE;
    int maxR = -1;
    int maxC = -1;
    for (int c = 0; c < width; c++) {
      for (int r = 0; r < height; r++) {
        final boolean on = logits[r * width + c] > 0f;
        if (on != value) {
          counts[runs++] = run;
          run = 0;
          value = on;
        }
        run++;
        if (on) {
          area++;
          minR = Math.min(minR, r);
          maxR = Math.max(maxR, r);
          minC = Math.min(minC, c);
          maxC = Math.max(maxC, c);
        }
      }
    }
    counts[runs++] = run;
    final float[] bbox =
        area == 0
            ? new float[] {0, 0, 0, 0}
            : new float[] {minC, minR, maxC - minC + 1, maxR - minR + 1};
    return new RenderedMask(height, width, compress(counts, runs), area, bbox);
  }

  /** pycocotools' compressed string: each count (minus the one two before, from the third on)
   * as little-endian 5-bit groups with a continuation bit, offset by '0'. */
  static String compress(final long[] counts, final int n) {
    final StringBuilder s = new StringBuilder(n * 2);
    for (int i = 0; i < n; i++) {
      long x = counts[i];
      if (i > 2) {
        x -= counts[i - 2];
      }
      boolean more = true;
      while (more) {
        long c = x & 0x1f;
        x >>= 5;
        more = (c & 0x10) != 0 ? x != -1 : x != 0;
        if (more) {
          c |= 0x20;
        }
        s.append((char) (c + 48));
      }
    }
    return s.toString();
  }

  /** Source indices and weights along one axis. */
  private static final class Axis {
    final int[] i0;
    final int[] i1;
    final float[] w0;
    final float[] w1;

    Axis(final int in, final int out) {
      i0 = new int[out];
      i1 = new int[out];
      w0 = new float[out];
      w1 = new float[out];
      final float scale = (float) in / out;
      for (int d = 0; d < out; d++) {
        float src = scale * (d + 0.5f) - 0.5f;
        if (src < 0) {
          src = 0;
        }
        final int lo = (int) src;
        final float lambda = Math.min(Math.max(src - lo, 0f), 1f);
        i0[d] = lo;
        i1[d] = lo < in - 1 ? lo + 1 : lo;
        w1[d] = lambda;
        w0[d] = 1f - lambda;
      }
    }
  }
}
