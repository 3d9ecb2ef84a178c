package io.medsam.stream.encoder;

import io.medsam.stream.avro.ImageSlice;

/**
 * Builds the encoder's input from a normalized 8-bit slice (DESIGN §3): grey to 3 channels,
 * bilinear resize to S x S with PyTorch's {@code align_corners=False} sampling (no antialiasing),
 * then min-max to [0,1] per image (all zeros when the image is constant). The "longest-side-pad"
 * rule (LiteMedSAM) scales the longest side to S, normalizes, and pads the bottom and right with
 * zeros.
 */
final class ModelInputs {

  private final int size;
  private final boolean pad;

  ModelInputs(final int size, final String resize) {
    this.size = size;
    this.pad =
        switch (resize) {
          case "stretch" -> false;
          case "longest-side-pad" -> true;
          default -> throw new IllegalArgumentException("unknown resize rule: " + resize);
        };
  }

  /** 3*S*S. */
  int valuesPerImage() {
    return 3 * size * size;
  }

  /** Throws IllegalArgumentException when a slice's pixel count does not match its shape. */
  static void validate(final ImageSlice slice) {
    final int h = slice.getHeight();
    final int w = slice.getWidth();
    final int c = slice.getChannels();
    if (h <= 0 || w <= 0 || (c != 1 && c != 3)) {
      throw new IllegalArgumentException(
          "slice " + slice.getSliceKey() + " has shape " + h + "x" + w + "x" + c);
    }
    if ((long) h * w * c != slice.getPixels().remaining()) {
      throw new IllegalArgumentException(
          "slice "
              + slice.getSliceKey()
              + ": "
              + slice.getPixels().remaining()
              + " bytes for "
              + h
              + "x"
              + w
              + "x"
              + c);
    }
  }

  /** Writes the [3,S,S] input of {@code slice} into {@code out} at {@code offset}. */
  void write(final ImageSlice slice, final float[] out, final int offset) {
    validate(slice);
    final byte[] pixels = new byte[slice.getPixels().remaining()];
    slice.getPixels().duplicate().get(pixels);
    write(pixels, slice.getHeight(), slice.getWidth(), slice.getChannels(), out, offset);
  }

  /** Writes the [3,S,S] input of an interleaved uint8 image into {@code out} at {@code offset}. */
  void write(
      final byte[] pixels,
      final int height,
      final int width,
      final int channels,
      final float[] out,
      final int offset) {
    final int outH;
    final int outW;
    if (pad) {
      final double scale = (double) size / Math.max(height, width);
      outH = Math.min(size, (int) (height * scale + 0.5));
      outW = Math.min(size, (int) (width * scale + 0.5));
    } else {
      outH = size;
      outW = size;
    }
    final int plane = size * size;
    final Sample[] columns = new Sample[outW];
    for (int c = 0; c < outW; c++) {
      columns[c] = Sample.of(c, width, outW);
    }
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (int ch = 0; ch < 3; ch++) {
      final int source = channels == 1 ? 0 : ch;
      for (int r = 0; r < outH; r++) {
        final Sample y = Sample.of(r, height, outH);
        for (int c = 0; c < outW; c++) {
          final Sample x = columns[c];
          final float top =
              x.w0 * value(pixels, y.i0, x.i0, width, channels, source)
                  + x.w1 * value(pixels, y.i0, x.i1, width, channels, source);
          final float bottom =
              x.w0 * value(pixels, y.i1, x.i0, width, channels, source)
                  + x.w1 * value(pixels, y.i1, x.i1, width, channels, source);
          final float v = y.w0 * top + y.w1 * bottom;
          out[offset + ch * plane + r * size + c] = v;
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
    }
    final float range = max - min;
    for (int ch = 0; ch < 3; ch++) {
      for (int r = 0; r < size; r++) {
        for (int c = 0; c < size; c++) {
          final int i = offset + ch * plane + r * size + c;
          out[i] = r < outH && c < outW && range > 0 ? (out[i] - min) / range : 0f;
        }
      }
    }
  }

  private static float value(
      final byte[] pixels,
      final int r,
      final int c,
      final int width,
      final int channels,
      final int ch) {
    return pixels[(r * width + c) * channels + ch] & 0xff;
  }

  /** Source neighbours and weights of one output coordinate (align_corners=False). */
  private record Sample(int i0, int i1, float w0, float w1) {
    static Sample of(final int out, final int inSize, final int outSize) {
      final float scale = (float) inSize / outSize;
      float src = scale * (out + 0.5f) - 0.5f;
      if (src < 0) {
        src = 0;
      }
      final int i0 = Math.min((int) src, inSize - 1);
      final int i1 = Math.min(i0 + 1, inSize - 1);
      final float lambda = src - i0;
      return new Sample(i0, i1, 1f - lambda, lambda);
    }
  }
}
