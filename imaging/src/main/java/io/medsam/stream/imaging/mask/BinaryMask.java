package io.medsam.stream.imaging.mask;

import io.medsam.stream.imaging.preprocess.PixelBox;
import java.util.Arrays;
import java.util.Optional;

/**
 * A binary segmentation of an H x W image, row-major ({@code pixels[r * width + c]}).
 *
 * @param pixels height*width flags (not copied: treat as read-only)
 * @param height rows
 * @param width columns
 */
public record BinaryMask(boolean[] pixels, int height, int width) {

  /** Validates the shape. */
  public BinaryMask {
    if (height <= 0 || width <= 0 || (long) height * width != pixels.length) {
      throw new IllegalArgumentException(
          "mask " + height + "x" + width + " with " + pixels.length + " pixels");
    }
  }

  /** An empty mask. */
  public static BinaryMask empty(final int height, final int width) {
    return new BinaryMask(new boolean[height * width], height, width);
  }

  /** Pixels whose value is non-zero in a row-major H x W float image (e.g. one label). */
  public static BinaryMask where(
      final float[] values, final int height, final int width, final float label) {
    final boolean[] px = new boolean[values.length];
    for (int n = 0; n < px.length; n++) {
      px[n] = values[n] == label;
    }
    return new BinaryMask(px, height, width);
  }

  /** Value at row r, column c. */
  public boolean get(final int r, final int c) {
    return pixels[r * width + c];
  }

  /** Number of foreground pixels. */
  public long area() {
    long n = 0;
    for (final boolean p : pixels) {
      if (p) {
        n++;
      }
    }
    return n;
  }

  /**
   * The tight box [min col, min row, max col, max row] (MedSAM's prompt-from-mask convention), or
   * empty for an empty mask.
   */
  public Optional<PixelBox> boundingBox() {
    int minR = Integer.MAX_VALUE;
    int minC = Integer.MAX_VALUE;
    int maxR = -1;
    int maxC = -1;
    for (int r = 0; r < height; r++) {
      for (int c = 0; c < width; c++) {
        if (pixels[r * width + c]) {
          minR = Math.min(minR, r);
          maxR = Math.max(maxR, r);
          minC = Math.min(minC, c);
          maxC = Math.max(maxC, c);
        }
      }
    }
    return maxR < 0 ? Optional.empty() : Optional.of(new PixelBox(minC, minR, maxC, maxR));
  }

  /** COCO bbox {x, y, w, h} = {min col, min row, cols spanned, rows spanned}; zeros if empty. */
  public float[] cocoBbox() {
    return boundingBox()
        .map(
            b ->
                new float[] {
                  (float) b.x0(),
                  (float) b.y0(),
                  (float) (b.x1() - b.x0() + 1),
                  (float) (b.y1() - b.y0() + 1)
                })
        .orElse(new float[4]);
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof BinaryMask m
        && m.height == height
        && m.width == width
        && Arrays.equals(m.pixels, pixels);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * height + width) + Arrays.hashCode(pixels);
  }

  @Override
  public String toString() {
    return "BinaryMask[" + height + "x" + width + ", area=" + area() + "]";
  }
}
