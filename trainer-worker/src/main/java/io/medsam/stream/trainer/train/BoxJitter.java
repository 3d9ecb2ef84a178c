package io.medsam.stream.trainer.train;

import io.medsam.stream.trainer.mask.PixelBox;
import java.util.Random;

/**
 * MedSAM's training-time box perturbation: each side moves outwards by a uniform random
 * 0..{@code maxPixels} original pixels, clamped to the image.
 */
final class BoxJitter {

  private final int maxPixels;
  private final Random random;

  BoxJitter(final int maxPixels, final Random random) {
    this.maxPixels = maxPixels;
    this.random = random;
  }

  PixelBox apply(final PixelBox box, final int height, final int width) {
    return new PixelBox(
        Math.max(0, box.x0() - random.nextInt(maxPixels + 1)),
        Math.max(0, box.y0() - random.nextInt(maxPixels + 1)),
        Math.min(width - 1, box.x1() + random.nextInt(maxPixels + 1)),
        Math.min(height - 1, box.y1() + random.nextInt(maxPixels + 1)));
  }
}
