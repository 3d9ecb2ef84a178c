package io.medsam.stream.trainer.mask;

/**
 * A box in original pixel coordinates: x = column, y = row, inclusive corners.
 *
 * @param x0 left column
 * @param y0 top row
 * @param x1 right column
 * @param y1 bottom row
 */
public record PixelBox(float x0, float y0, float x1, float y1) {

  /** True when the box is finite, non-empty ({@code x1 >= x0}, {@code y1 >= y0}) and inside the image. */
  public boolean isValidFor(final int height, final int width) {
    return Float.isFinite(x0)
        && Float.isFinite(y0)
        && Float.isFinite(x1)
        && Float.isFinite(y1)
        && x0 >= 0
        && y0 >= 0
        && x1 <= width - 1
        && y1 <= height - 1
        && x1 >= x0
        && y1 >= y0;
  }
}
