package io.medsam.stream.trainer.mask;

import java.util.Arrays;

/**
 * A binary mask of {@code height x width} pixels, stored row-major ({@code pixels[r * width + c]}).
 *
 * @param height rows
 * @param width columns
 * @param pixels row-major foreground flags; not copied, treat as immutable
 */
public record BinaryMask(int height, int width, boolean[] pixels) {

  /** Validates the dimensions. */
  public BinaryMask {
    if (height <= 0 || width <= 0 || pixels.length != height * width) {
      throw new IllegalArgumentException(
          "mask " + height + "x" + width + " with " + pixels.length + " pixels");
    }
  }

  /** Pixel at row {@code r}, column {@code c}. */
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

  /** The complement (every pixel flipped). */
  public BinaryMask inverted() {
    final boolean[] out = new boolean[pixels.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = !pixels[i];
    }
    return new BinaryMask(height, width, out);
  }

  /**
   * Box around the foreground: {x0 = min column, y0 = min row, x1 = max column, y1 = max row},
   * inclusive pixel corners as MedSAM uses them.
   *
   * @throws IllegalStateException if the mask is empty
   */
  public PixelBox boundingBox() {
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
    if (maxR < 0) {
      throw new IllegalStateException("empty mask has no box");
    }
    return new PixelBox(minC, minR, maxC, maxR);
  }

  /**
   * Dice similarity coefficient {@code 2|A∩B| / (|A|+|B|)}; 1 when both masks are empty.
   *
   * @throws IllegalArgumentException if the sizes differ
   */
  public double dice(final BinaryMask other) {
    if (other.height != height || other.width != width) {
      throw new IllegalArgumentException("mask sizes differ");
    }
    long both = 0;
    long sum = 0;
    for (int i = 0; i < pixels.length; i++) {
      if (pixels[i]) {
        sum++;
      }
      if (other.pixels[i]) {
        sum++;
        if (pixels[i]) {
          both++;
        }
      }
    }
    return sum == 0 ? 1.0 : 2.0 * both / sum;
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
