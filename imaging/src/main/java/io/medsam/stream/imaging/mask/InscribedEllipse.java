package io.medsam.stream.imaging.mask;

import io.medsam.stream.imaging.preprocess.PixelBox;

/**
 * The ellipse baseline of the evaluation: the filled ellipse inscribed in a box prompt, the mask
 * every model must beat. The rule is {@code inscribed_ellipse} of {@code
 * model/medsam_model/metrics.py}, in the same double arithmetic, so both sides give the same
 * pixels: for the inclusive box x0, y0, x1, y1, centre {@code ((x0 + x1) / 2, (y0 + y1) / 2)},
 * semi-axes {@code (x1 - x0 + 1) / 2} and {@code (y1 - y0 + 1) / 2} (the box's pixel extent), and
 * pixel (r, c) is inside when {@code ((c - cx) / a)^2 + ((r - cy) / b)^2 <= 1}. A one-pixel-wide
 * box gives a one-pixel-wide line; the mask is clipped to the image.
 */
public final class InscribedEllipse {

  private InscribedEllipse() {}

  /**
   * @param box the box, x = column, y = row, corners inclusive
   * @param height image rows
   * @param width image columns
   * @return the filled ellipse inscribed in {@code box} on an {@code height x width} image
   * @throws IllegalArgumentException when a coordinate is not finite or the box is inverted (x1
   *     &lt; x0 or y1 &lt; y0)
   */
  public static BinaryMask of(final PixelBox box, final int height, final int width) {
    if (!Double.isFinite(box.x0())
        || !Double.isFinite(box.y0())
        || !Double.isFinite(box.x1())
        || !Double.isFinite(box.y1())
        || box.x1() < box.x0()
        || box.y1() < box.y0()) {
      throw new IllegalArgumentException("no ellipse is inscribed in the box " + box);
    }
    final double cx = (box.x0() + box.x1()) / 2.0;
    final double cy = (box.y0() + box.y1()) / 2.0;
    final double a = (box.x1() - box.x0() + 1) / 2.0;
    final double b = (box.y1() - box.y0() + 1) / 2.0;
    final boolean[] px = new boolean[height * width];
    for (int r = 0; r < height; r++) {
      final double v = (r - cy) / b;
      for (int c = 0; c < width; c++) {
        final double u = (c - cx) / a;
        px[r * width + c] = u * u + v * v <= 1.0;
      }
    }
    return new BinaryMask(px, height, width);
  }
}
