package io.medsam.stream.trainer.train;

import ai.djl.ndarray.NDArray;

/**
 * MedSAM's training loss: soft Dice (sigmoid, squared predictions, per sample, as MONAI's DiceLoss
 * with {@code squared_pred=True}) plus binary cross-entropy with logits, unweighted.
 */
public final class SegmentationLoss {

  private static final float SMOOTH = 1e-5f;

  private SegmentationLoss() {}

  /**
   * @param logits B x 1 x L x L
   * @param target B x 1 x L x L in [0, 1]
   * @return scalar loss
   */
  public static NDArray diceBce(final NDArray logits, final NDArray target) {
    return dice(logits, target).add(bce(logits, target));
  }

  /** Mean over the batch of 1 - (2 sum(p t) + s) / (sum(p^2) + sum(t^2) + s). */
  public static NDArray dice(final NDArray logits, final NDArray target) {
    final NDArray p = logits.getNDArrayInternal().sigmoid();
    final int[] spatial = {1, 2, 3};
    final NDArray inter = p.mul(target).sum(spatial);
    final NDArray denom = p.square().sum(spatial).add(target.square().sum(spatial));
    return inter.mul(2).add(SMOOTH).div(denom.add(SMOOTH)).neg().add(1).mean();
  }

  /** Numerically stable mean of max(x, 0) - x t + log(1 + exp(-|x|)). */
  public static NDArray bce(final NDArray logits, final NDArray target) {
    return logits
        .maximum(0)
        .sub(logits.mul(target))
        .add(logits.abs().neg().exp().add(1).log())
        .mean();
  }
}
