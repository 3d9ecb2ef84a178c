package io.medsam.stream.imaging.preprocess;

/**
 * A box prompt: x = column, y = row; (x0, y0) top-left and (x1, y1) bottom-right corners. In
 * original pixel coordinates a box drawn from a mask is [min col, min row, max col, max row]
 * (MedSAM's convention); in model space the same record holds S-space coordinates.
 *
 * @param x0 left
 * @param y0 top
 * @param x1 right
 * @param y1 bottom
 */
public record PixelBox(double x0, double y0, double x1, double y1) {

  /** Width x1 - x0. */
  public double width() {
    return x1 - x0;
  }

  /** Height y1 - y0. */
  public double height() {
    return y1 - y0;
  }

  /** {x0, y0, x1, y1} as floats (the decoder's "boxes" row). */
  public float[] toFloats() {
    return new float[] {(float) x0, (float) y0, (float) x1, (float) y1};
  }

  /**
   * Checks that the box can prompt an {@code height x width} image: finite coordinates, x1 &gt;= x0
   * and y1 &gt;= y0, inside [0, width] x [0, height] (the right/bottom edge is allowed, as MedSAM
   * clips jittered boxes to W and H), and a non-zero area. The image is named H x W in messages,
   * height first, as everywhere else in the project.
   *
   * @param record names the prompt in the error message (e.g. its id or slice key)
   * @return this box
   * @throws InvalidBoxException naming the record and the problem
   */
  public PixelBox validate(final int height, final int width, final String record)
      throws InvalidBoxException {
    checkOrder(record);
    if (x0 < 0 || y0 < 0 || x1 > width || y1 > height) {
      final boolean disjoint = x0 >= width || y0 >= height || x1 < 0 || y1 < 0;
      throw new InvalidBoxException(
          record,
          this,
          (disjoint ? "lies outside" : "extends outside")
              + " the "
              + height
              + "x"
              + width
              + " image (H x W)");
    }
    checkArea(record);
    return this;
  }

  /**
   * The checks of {@link #validate} that need no image size: finite coordinates, x1 &gt;= x0 and y1
   * &gt;= y0, non-zero area. A box that fails them fails {@link #validate} on every image.
   *
   * @param record names the prompt in the error message
   * @return this box
   * @throws InvalidBoxException naming the record and the problem
   */
  public PixelBox validateShape(final String record) throws InvalidBoxException {
    checkOrder(record);
    checkArea(record);
    return this;
  }

  private void checkOrder(final String record) throws InvalidBoxException {
    if (!Double.isFinite(x0)
        || !Double.isFinite(y0)
        || !Double.isFinite(x1)
        || !Double.isFinite(y1)) {
      throw new InvalidBoxException(record, this, "has a non-finite coordinate (NaN or infinity)");
    }
    if (x1 < x0 || y1 < y0) {
      throw new InvalidBoxException(
          record, this, x1 < x0 ? "is inverted: x1 < x0" : "is inverted: y1 < y0");
    }
  }

  private void checkArea(final String record) throws InvalidBoxException {
    if (width() * height() == 0) {
      throw new InvalidBoxException(record, this, "has zero area");
    }
  }

  /**
   * True when the box's inclusive pixel corners lie on an {@code height x width} image: finite, 0
   * &lt;= x0 &lt;= x1 &lt;= width - 1 and 0 &lt;= y0 &lt;= y1 &lt;= height - 1. Stricter at the
   * edge than {@link #validate} (which admits x1 = width, as MedSAM clips jittered boxes there) and
   * looser in area: a box drawn around a one-pixel-wide mask (x0 = x1) is inside.
   */
  public boolean isInsidePixels(final int height, final int width) {
    return Double.isFinite(x0)
        && Double.isFinite(y0)
        && Double.isFinite(x1)
        && Double.isFinite(y1)
        && x0 >= 0
        && y0 >= 0
        && x1 <= width - 1
        && y1 <= height - 1
        && x1 >= x0
        && y1 >= y0;
  }

  @Override
  public String toString() {
    return "[" + x0 + ", " + y0 + ", " + x1 + ", " + y1 + "]";
  }
}
