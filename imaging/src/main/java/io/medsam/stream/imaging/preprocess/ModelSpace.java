package io.medsam.stream.imaging.preprocess;

/**
 * The mapping between an original H x W image and the model's S x S input under a resize rule.
 * Stretch: x' = x * S / W, y' = y * S / H. Longest-side-pad: both axes scale by S / max(H, W)
 * (LiteMedSAM's box rule), the content occupying the top-left of the padded input.
 *
 * @param height original rows H
 * @param width original columns W
 * @param size model input side S
 * @param rule resize rule from the bundle manifest
 */
public record ModelSpace(int height, int width, int size, ResizeRule rule) {

  /** Validates sizes. */
  public ModelSpace {
    if (height <= 0 || width <= 0 || size <= 0 || rule == null) {
      throw new IllegalArgumentException("bad model space " + height + "x" + width + " -> " + size);
    }
  }

  /** Scale from original x to model x. */
  public double scaleX() {
    return rule == ResizeRule.STRETCH
        ? (double) size / width
        : (double) size / Math.max(height, width);
  }

  /** Scale from original y to model y. */
  public double scaleY() {
    return rule == ResizeRule.STRETCH
        ? (double) size / height
        : (double) size / Math.max(height, width);
  }

  /** {rows, columns} of the image content inside the S x S input. */
  public int[] contentSize() {
    return rule.contentSize(height, width, size);
  }

  /** The box in model (S-space) coordinates. */
  public PixelBox toModel(final PixelBox b) {
    final double sx = scaleX();
    final double sy = scaleY();
    return new PixelBox(b.x0() * sx, b.y0() * sy, b.x1() * sx, b.y1() * sy);
  }

  /** The box back in original pixel coordinates. */
  public PixelBox toOriginal(final PixelBox b) {
    final double sx = scaleX();
    final double sy = scaleY();
    return new PixelBox(b.x0() / sx, b.y0() / sy, b.x1() / sx, b.y1() / sy);
  }
}
