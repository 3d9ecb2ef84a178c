package io.medsam.stream.trainer.train;

import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.imaging.preprocess.ModelSpace;

/**
 * A mask as the soft L x L target the loss compares the low-res logits with: each low-res cell
 * holds the fraction of its area covered by foreground, estimated from k x k samples per cell (k =
 * the cell's size in original pixels, 1 to 4), each sample taking the nearest original pixel. Cells
 * of the padding (longest-side-pad) lie outside the image and are background.
 *
 * <p>The L x L grid covers the model's S x S input, so a cell spans {@code S / L / scale} original
 * pixels along each axis, with the scales of the image's {@link ModelSpace}.
 */
final class LowResTarget {

  private static final int MAX_SAMPLES_PER_AXIS = 4;

  private LowResTarget() {}

  /**
   * @param mask the ground truth at H x W
   * @param space how that H x W image maps to the model's S x S input
   * @param lowResSize L
   * @return L x L values in [0, 1], row-major
   */
  static float[] of(final BinaryMask mask, final ModelSpace space, final int lowResSize) {
    final int h = mask.height();
    final int w = mask.width();
    final int l = lowResSize;
    // original pixels per low-res cell along each axis
    final double cellY = (double) space.size() / l / space.scaleY();
    final double cellX = (double) space.size() / l / space.scaleX();
    final int k =
        (int) Math.max(1, Math.min(MAX_SAMPLES_PER_AXIS, Math.ceil(Math.max(cellX, cellY))));
    final float[] out = new float[l * l];
    for (int v = 0; v < l; v++) {
      for (int u = 0; u < l; u++) {
        int hits = 0;
        for (int a = 0; a < k; a++) {
          final int row = (int) Math.floor((v + (a + 0.5) / k) * cellY);
          for (int b = 0; b < k; b++) {
            final int col = (int) Math.floor((u + (b + 0.5) / k) * cellX);
            if (row < h && col < w && mask.get(row, col)) {
              hits++;
            }
          }
        }
        out[v * l + u] = (float) hits / (k * k);
      }
    }
    return out;
  }
}
