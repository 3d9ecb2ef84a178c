package io.medsam.stream.trainer.model;

import io.medsam.stream.imaging.mask.LogitUpsampler;
import io.medsam.stream.imaging.preprocess.ResizeRule;
import io.medsam.stream.trainer.mask.BinaryMask;
import io.medsam.stream.trainer.mask.PixelBox;

/**
 * Maps between original pixels (H x W) and model space (S x S input, L x L low-res logits).
 *
 * <p>"stretch" (MedSAM): the whole image is resized to S x S, so x' = x S / W, y' = y S / H.
 * "longest-side-pad" (LiteMedSAM): scaled by S / max(H, W) and padded at the bottom/right.
 *
 * @param imageSize S
 * @param lowResSize L
 * @param pad true for longest-side-pad
 */
public record ModelSpace(int imageSize, int lowResSize, boolean pad) {

  private double scaleX(final int height, final int width) {
    return pad ? (double) imageSize / Math.max(height, width) : (double) imageSize / width;
  }

  private double scaleY(final int height, final int width) {
    return pad ? (double) imageSize / Math.max(height, width) : (double) imageSize / height;
  }

  /** The box in S-space, as the decoder's "boxes" input wants it: {x0, y0, x1, y1}. */
  public float[] toModel(final PixelBox box, final int height, final int width) {
    final double sx = scaleX(height, width);
    final double sy = scaleY(height, width);
    return new float[] {
      (float) (box.x0() * sx), (float) (box.y0() * sy),
      (float) (box.x1() * sx), (float) (box.y1() * sy)
    };
  }

  /**
   * The mask as a soft L x L training target: each low-res cell holds the fraction of its
   * area covered by foreground (supersampled, nearest original pixel per sample). Cells of the
   * padding (longest-side-pad) are background.
   */
  public float[] lowResTarget(final BinaryMask mask) {
    final int h = mask.height();
    final int w = mask.width();
    final int l = lowResSize;
    // original pixels per low-res cell along each axis
    final double cellY = (double) imageSize / l / scaleY(h, w);
    final double cellX = (double) imageSize / l / scaleX(h, w);
    final int k = (int) Math.max(1, Math.min(4, Math.ceil(Math.max(cellX, cellY))));
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

  /**
   * Thresholded mask at H x W from L x L logits, exactly as the decoder-worker serves it
   * (imaging's {@link LogitUpsampler}: bilinear, PyTorch align_corners=False, padding cropped
   * for longest-side-pad; logit > 0).
   */
  public BinaryMask maskFromLogits(final float[] logits, final int height, final int width) {
    final var space = new io.medsam.stream.imaging.preprocess.ModelSpace(height, width, imageSize,
        pad ? ResizeRule.LONGEST_SIDE_PAD : ResizeRule.STRETCH);
    return new BinaryMask(height, width, LogitUpsampler.toMask(logits, lowResSize, space).pixels());
  }
}
