package io.medsam.stream.topology.walk;

import io.medsam.stream.avro.Box;
import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.MaskStatus;
import java.util.List;
import java.util.Optional;

/**
 * The walk rules of LiteMedSAM's reference 3D inference ({@code MedSAM_infer_npz_3D} in {@code
 * CVPR24_LiteMedSAM_infer.py}): the middle slice {@code z0 + (z1 - z0) / 2} is prompted with the 3D
 * box's x/y extent; every other slice with the bounding box of its neighbour's mask (the slice
 * before it in the walk's direction) widened by a margin and clipped to the image, or with the 3D
 * box again when that mask is empty. The walk goes from the middle up to z1, then from the middle
 * down to z0, and never stops early.
 *
 * <p>Margin: the reference adds 3 pixels on each side of the box of the mask resized to 256 on its
 * longest side; here the box is taken on the mask at the slice's own H x W and widened by {@code 3
 * * max(H, W) / 256} pixels, the same distance in the image (it can differ from the reference by
 * the rounding of the 256-pixel resize, under one 256-pixel step). Deviation: z0 and z1 are both
 * inclusive (the first and last slice of the structure, as a box from a mask is here), where the
 * reference's loops visit z_min + 1 .. z_max - 1; a one-slice walk (z0 = z1) is allowed.
 */
public final class WalkRules {

  /** The reference's margin: 3 pixels at 256 pixels on the longest side. */
  public static final double MARGIN_AT_256 = 3.0;

  private WalkRules() {}

  /** The first slice visited: the reference's {@code int((z_max - z_min) / 2 + z_min)}. */
  public static int middle(final int z0, final int z1) {
    return z0 + (z1 - z0) / 2;
  }

  /** The margin in pixels of an {@code height x width} slice. */
  public static double marginPixels(final int height, final int width) {
    return MARGIN_AT_256 * Math.max(height, width) / 256.0;
  }

  /**
   * The box around a mask, widened by the margin and clipped to [0, W] x [0, H].
   *
   * @param cocoBbox the mask's COCO bbox [x, y, w, h] (x, y the first column and row)
   * @param height the slice's H
   * @param width the slice's W
   */
  public static Box boxAround(final List<Float> cocoBbox, final int height, final int width) {
    final double m = marginPixels(height, width);
    final double x0 = cocoBbox.get(0);
    final double y0 = cocoBbox.get(1);
    final double x1 = x0 + cocoBbox.get(2) - 1;
    final double y1 = y0 + cocoBbox.get(3) - 1;
    return new Box(
        (float) Math.max(0, x0 - m),
        (float) Math.max(0, y0 - m),
        (float) Math.min(width, x1 + m),
        (float) Math.min(height, y1 + m));
  }

  /**
   * The box a step's result hands to the next slice in its direction: the box around its mask, or
   * empty when there is no mask to follow (empty mask, timeout, error), where the walk falls back
   * to the 3D box.
   */
  public static Optional<Box> boxFrom(final MaskResult result) {
    if (result.getStatus() != MaskStatus.OK
        || result.getArea() <= 0
        || result.getMask() == null
        || result.getBbox() == null
        || result.getBbox().size() != 4) {
      return Optional.empty();
    }
    return Optional.of(
        boxAround(result.getBbox(), result.getMask().getHeight(), result.getMask().getWidth()));
  }
}
