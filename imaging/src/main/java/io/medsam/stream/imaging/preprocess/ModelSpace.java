package io.medsam.stream.imaging.preprocess;

/**
 * The mapping between an original H x W image and the model's S x S input under a resize rule.
 * Stretching rules: x' = x * S / W, y' = y * S / H (MedSAM computes it as x / W * S, which can
 * differ in the last bit, and so does {@link ResizeRule#MEDSAM} here). Padded rules: both axes
 * scale by S / max(H, W), the content occupying the top-left of the padded input; LiteMedSAM
 * truncates the mapped box to integers ({@link ResizeRule#LITEMEDSAM}).
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
    return rule.padded() ? (double) size / Math.max(height, width) : (double) size / width;
  }

  /** Scale from original y to model y. */
  public double scaleY() {
    return rule.padded() ? (double) size / Math.max(height, width) : (double) size / height;
  }

  /** {rows, columns} of the image content inside the S x S input. */
  public int[] contentSize() {
    return rule.contentSize(height, width, size);
  }

  /** The box in model (S-space) coordinates, as the bundle's reference script maps it. */
  public PixelBox toModel(final PixelBox b) {
    return switch (rule) {
      case MEDSAM ->
          new PixelBox(
              b.x0() / width * size,
              b.y0() / height * size,
              b.x1() / width * size,
              b.y1() / height * size);
      case LITEMEDSAM -> {
        final double k = scaleX();
        yield new PixelBox(
            (int) (b.x0() * k), (int) (b.y0() * k), (int) (b.x1() * k), (int) (b.y1() * k));
      }
      default -> {
        final double sx = scaleX();
        final double sy = scaleY();
        yield new PixelBox(b.x0() * sx, b.y0() * sy, b.x1() * sx, b.y1() * sy);
      }
    };
  }

  /** The box back in original pixel coordinates (the inverse scale; truncation is not undone). */
  public PixelBox toOriginal(final PixelBox b) {
    final double sx = scaleX();
    final double sy = scaleY();
    return new PixelBox(b.x0() / sx, b.y0() / sy, b.x1() / sx, b.y1() / sy);
  }
}
