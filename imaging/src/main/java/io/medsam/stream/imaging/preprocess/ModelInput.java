package io.medsam.stream.imaging.preprocess;

import io.medsam.stream.imaging.Slice2D;

/**
 * Builds the encoder input from an 8-bit slice: float [3, S, S] (channel planes, row-major), grey
 * replicated to three channels (filtered once for the three), resized and min-max normalized to [0,
 * 1] over the whole resized content, all channels together, as the bundle's {@link ResizeRule}
 * says:
 *
 * <ul>
 *   <li>{@link ResizeRule#STRETCH}, {@link ResizeRule#LONGEST_SIDE_PAD}: bilinear in float ({@link
 *       BilinearResize}, PyTorch align_corners=False semantics), min-max in float, all zeros when
 *       max == min;
 *   <li>{@link ResizeRule#MEDSAM}: the H x W x 3 image (grey replicated, as MedSAM's script does;
 *       the channel axis takes part in the spline) to S x S with {@link SplineResize} (uint8), then
 *       {@code (v - min) / max(max - min, 1e-8)} in double, cast to float (MedSAM's numpy code; a
 *       constant image gives zeros);
 *   <li>{@link ResizeRule#LITEMEDSAM}: each channel to the content size with {@link AreaResize}
 *       (uint8), the same double min-max.
 * </ul>
 *
 * <p>With a padded rule the content occupies the top-left h x w of each plane and the padding
 * (bottom and right) is 0.
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
    final float[] out = new float[3 * s * s];
    switch (space.rule()) {
      case STRETCH, LONGEST_SIDE_PAD -> {
        final float[][] planes = bilinearPlanes(slice, h, w);
        for (int ch = 0; ch < 3; ch++) {
          for (int r = 0; r < h; r++) {
            System.arraycopy(planes[ch], r * w, out, ch * s * s + r * s, w);
          }
        }
      }
      case MEDSAM, LITEMEDSAM -> referenceInto(slice, space.rule(), h, w, s, out);
    }
    return out;
  }

  /** Bilinear float planes h x w, min-max normalized in float in place (zeros when flat). */
  private static float[][] bilinearPlanes(final Slice2D slice, final int h, final int w) {
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
    for (int ch = 0; ch < 3; ch++) {
      if (ch > 0 && planes[ch] == planes[0]) {
        continue; // grey: one plane shared by the three channels
      }
      final float[] p = planes[ch];
      for (int n = 0; n < p.length; n++) {
        p[n] = range > 0 ? (p[n] - min) / range : 0f;
      }
    }
    return planes;
  }

  /**
   * The reference scripts' planes: uint8 resize ({@link SplineResize} of the H x W x 3 image to S x
   * S, or {@link AreaResize} per channel to the content size), then min-max over all channels in
   * double with the range floored at 1e-8, cast to float, written into the top-left h x w of each S
   * x S plane of {@code out}.
   */
  private static void referenceInto(
      final Slice2D slice,
      final ResizeRule rule,
      final int h,
      final int w,
      final int s,
      final float[] out) {
    final byte[][] resized;
    if (rule == ResizeRule.MEDSAM) {
      // MedSAM resizes the H x W x 3 array (grey replicated); its channel axis takes part
      final byte[][] planes = new byte[3][];
      for (int ch = 0; ch < 3; ch++) {
        planes[ch] = ch > 0 && slice.channels() == 1 ? planes[0] : channelBytes(slice, ch);
      }
      resized = SplineResize.resizeChannels(planes, slice.height(), slice.width(), h, w);
    } else {
      // OpenCV resizes the channels independently
      resized = new byte[3][];
      for (int ch = 0; ch < 3; ch++) {
        resized[ch] =
            ch > 0 && slice.channels() == 1
                ? resized[0]
                : AreaResize.resize(channelBytes(slice, ch), slice.height(), slice.width(), h, w);
      }
    }
    int min = 255;
    int max = 0;
    for (int ch = 0; ch < 3; ch++) {
      if (ch > 0 && resized[ch] == resized[ch - 1]) {
        continue;
      }
      for (final byte b : resized[ch]) {
        min = Math.min(min, b & 0xff);
        max = Math.max(max, b & 0xff);
      }
    }
    final double range = Math.max((double) max - min, 1e-8);
    // 256 possible grey levels: normalize each once
    final float[] level = new float[256];
    for (int v = min; v <= max; v++) {
      level[v] = (float) ((v - (double) min) / range);
    }
    for (int ch = 0; ch < 3; ch++) {
      final byte[] p = resized[ch];
      for (int r = 0; r < h; r++) {
        final int src = r * w;
        final int dst = ch * s * s + r * s;
        for (int c = 0; c < w; c++) {
          out[dst + c] = level[p[src + c] & 0xff];
        }
      }
    }
  }

  /** Convenience for {@code build(slice, new ModelSpace(H, W, size, rule))}. */
  public static float[] build(final Slice2D slice, final int size, final ResizeRule rule) {
    return build(slice, new ModelSpace(slice.height(), slice.width(), size, rule));
  }

  private static byte[] channelBytes(final Slice2D slice, final int ch) {
    if (slice.channels() == 1) {
      return slice.pixels();
    }
    final int n = slice.height() * slice.width();
    final byte[] out = new byte[n];
    final byte[] px = slice.pixels();
    for (int i = 0; i < n; i++) {
      out[i] = px[i * 3 + ch];
    }
    return out;
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
