package io.medsam.stream.imaging.preprocess;

import io.medsam.stream.imaging.Slice2D;

/**
 * Builds the encoder input from an 8-bit slice: float [3, S, S] (channel planes, row-major), grey
 * replicated to three channels, resized bilinearly (PyTorch align_corners=False semantics) and
 * min-max normalized to [0, 1] over the whole image (all zeros when max == min). With
 * longest-side-pad the normalization covers the resized content and the padding is 0.
 */
public final class ModelInput {

  private ModelInput() {}

  /** The [3, S, S] tensor for {@code slice} in {@code space} (whose H, W must match it). */
  public static float[] build(final Slice2D slice, final ModelSpace space) {
    if (slice.height() != space.height() || slice.width() != space.width()) {
      throw new IllegalArgumentException(
          "slice is "
              + slice.height()
              + "x"
              + slice.width()
              + " but the model space expects "
              + space.height()
              + "x"
              + space.width());
    }
    final int s = space.size();
    final int[] content = space.contentSize();
    final int h = content[0];
    final int w = content[1];
    final float[][] planes = new float[3][];
    for (int ch = 0; ch < 3; ch++) {
      if (ch > 0 && slice.channels() == 1) {
        planes[ch] = planes[0];
        continue;
      }
      planes[ch] = BilinearResize.resize(channel(slice, ch), slice.height(), slice.width(), h, w);
    }
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (final float[] p : planes) {
      for (final float v : p) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    final float range = max - min;
    final float[] out = new float[3 * s * s];
    for (int ch = 0; ch < 3; ch++) {
      final float[] p = planes[ch];
      for (int r = 0; r < h; r++) {
        final int dst = ch * s * s + r * s;
        for (int c = 0; c < w; c++) {
          out[dst + c] = range > 0 ? (p[r * w + c] - min) / range : 0f;
        }
      }
    }
    return out;
  }

  /** Convenience for {@code build(slice, new ModelSpace(H, W, size, rule))}. */
  public static float[] build(final Slice2D slice, final int size, final ResizeRule rule) {
    return build(slice, new ModelSpace(slice.height(), slice.width(), size, rule));
  }

  private static float[] channel(final Slice2D slice, final int ch) {
    final int n = slice.height() * slice.width();
    final float[] out = new float[n];
    final byte[] px = slice.pixels();
    final int stride = slice.channels();
    for (int i = 0; i < n; i++) {
      out[i] = px[i * stride + ch] & 0xff;
    }
    return out;
  }
}
