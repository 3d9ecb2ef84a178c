package io.medsam.stream.imaging.mask;

import io.medsam.stream.imaging.preprocess.BilinearResize;
import io.medsam.stream.imaging.preprocess.ModelSpace;
import io.medsam.stream.imaging.preprocess.ResizeRule;

/**
 * Turns the decoder's low-resolution logits [L, L] into a mask of the original image: bilinear
 * upsampling with PyTorch align_corners=False semantics, then {@code logit > 0}. For stretch
 * (MedSAM) the logits go straight to H x W; for longest-side-pad (LiteMedSAM) they are brought to S
 * x S (when L != S), cropped to the resized content at the top-left, then resized to H x W.
 */
public final class LogitUpsampler {

  private LogitUpsampler() {}

  /** Upsampled logits, row-major H x W, for the original image of {@code space}. */
  public static float[] upsample(
      final float[] lowRes, final int lowResSize, final ModelSpace space) {
    if (lowRes.length != lowResSize * lowResSize) {
      throw new IllegalArgumentException(
          "expected " + lowResSize + "x" + lowResSize + " logits, got " + lowRes.length);
    }
    if (space.rule() == ResizeRule.STRETCH) {
      return BilinearResize.resize(lowRes, lowResSize, lowResSize, space.height(), space.width());
    }
    final int s = space.size();
    final float[] full =
        lowResSize == s ? lowRes : BilinearResize.resize(lowRes, lowResSize, lowResSize, s, s);
    final int[] content = space.contentSize();
    final float[] crop = new float[content[0] * content[1]];
    for (int r = 0; r < content[0]; r++) {
      System.arraycopy(full, r * s, crop, r * content[1], content[1]);
    }
    return BilinearResize.resize(crop, content[0], content[1], space.height(), space.width());
  }

  /** The mask {@code upsample(...) > 0}. */
  public static BinaryMask toMask(
      final float[] lowRes, final int lowResSize, final ModelSpace space) {
    final float[] up = upsample(lowRes, lowResSize, space);
    final boolean[] px = new boolean[up.length];
    for (int n = 0; n < up.length; n++) {
      px[n] = up[n] > 0;
    }
    return new BinaryMask(px, space.height(), space.width());
  }

  /** Stretch-rule shortcut: low-res logits straight to H x W, thresholded at 0. */
  public static BinaryMask toMask(
      final float[] lowRes, final int lowResSize, final int height, final int width) {
    return toMask(
        lowRes, lowResSize, new ModelSpace(height, width, lowResSize, ResizeRule.STRETCH));
  }
}
