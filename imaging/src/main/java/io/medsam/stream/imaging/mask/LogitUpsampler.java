package io.medsam.stream.imaging.mask;

import io.medsam.stream.imaging.preprocess.BilinearResize;
import io.medsam.stream.imaging.preprocess.ModelSpace;

/**
 * Brings a low-resolution map [L, L] (logits or probabilities) to the original image: bilinear
 * resampling with PyTorch align_corners=False semantics. A map over the whole S x S input goes
 * straight to H x W; when the image content is only part of the input (padded resize rules) the map
 * is brought to S x S (when L != S), cropped to the content at the top-left, then resized to H x W.
 * {@link MaskRule} decides which map and which threshold.
 */
final class LogitUpsampler {

  private LogitUpsampler() {}

  /**
   * @param lowRes row-major L x L map
   * @param crop crop to the content even under a stretching resize rule (LiteMedSAM's rule always
   *     crops; for a stretching rule the content is the whole input, so only L != S matters)
   */
  static float[] resizeToOriginal(
      final float[] lowRes, final int lowResSize, final ModelSpace space, final boolean crop) {
    if (lowRes.length != lowResSize * lowResSize) {
      throw new IllegalArgumentException(
          "expected " + lowResSize + "x" + lowResSize + " logits, got " + lowRes.length);
    }
    if (!crop && !space.rule().padded()) {
      return BilinearResize.resize(lowRes, lowResSize, lowResSize, space.height(), space.width());
    }
    final int s = space.size();
    final float[] full =
        lowResSize == s ? lowRes : BilinearResize.resize(lowRes, lowResSize, lowResSize, s, s);
    final int[] content = space.contentSize();
    final float[] cropped = new float[content[0] * content[1]];
    for (int r = 0; r < content[0]; r++) {
      System.arraycopy(full, r * s, cropped, r * content[1], content[1]);
    }
    return BilinearResize.resize(cropped, content[0], content[1], space.height(), space.width());
  }
}
