package io.medsam.stream.trainer.train;

import io.medsam.stream.imaging.preprocess.PixelBox;
import java.util.Random;

/**
 * MedSAM's training-time box perturbation: each side moves outwards by a uniform random amount of
 * 0..{@code maxPixels} pixels <em>of a 1024-pixel image side</em>, clamped to the image.
 *
 * <p>MedSAM resizes every image to 1024×1024 before it jitters the box by 0–20 px ({@code
 * bbox_shift}), so its perturbation is up to 20/1024 ≈ 2 % of the image side. The same share is
 * kept here for any image size: on a 512×512 CT a side moves by up to 10 px, on the 181×217 demo
 * brain by up to 3.5 px across and 4.2 px down (rounded to whole pixels per draw). A fixed 20
 * original pixels would be ~10 % of a small image: boxes far looser than any the decoder is asked
 * with, which is what the decoder would then learn.
 */
final class BoxJitter {

  /** The image side MedSAM's {@code bbox_shift} is measured on. */
  static final double REFERENCE_SIDE = 1024.0;

  private final int maxPixels;
  private final Random random;

  BoxJitter(final int maxPixels, final Random random) {
    this.maxPixels = maxPixels;
    this.random = random;
  }

  PixelBox apply(final PixelBox box, final int height, final int width) {
    final double sx = maxPixels * width / REFERENCE_SIDE;
    final double sy = maxPixels * height / REFERENCE_SIDE;
    return new PixelBox(
        Math.max(0, box.x0() - shift(sx)),
        Math.max(0, box.y0() - shift(sy)),
        Math.min(width - 1, box.x1() + shift(sx)),
        Math.min(height - 1, box.y1() + shift(sy)));
  }

  /** A uniform draw in [0, max], rounded to a whole pixel. */
  private int shift(final double max) {
    return (int) Math.round(random.nextDouble() * max);
  }
}
