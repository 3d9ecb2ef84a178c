package io.medsam.stream.trainer.train;

import io.medsam.stream.imaging.mask.BinaryMask;

/**
 * The pixel counts Dice is made of, so that Dice can be pooled over several slices of a target (the
 * 3D DSC of the paper's evaluation) instead of averaged per slice.
 *
 * @param intersection pixels in both masks
 * @param sum pixels of the first mask plus pixels of the second
 */
public record Overlap(long intersection, long sum) {

  /** No pixels. */
  public static final Overlap NONE = new Overlap(0, 0);

  /** The overlap of a predicted and a true mask of the same size. */
  public static Overlap of(final BinaryMask predicted, final BinaryMask truth) {
    final boolean[] a = predicted.pixels();
    final boolean[] b = truth.pixels();
    if (a.length != b.length) {
      throw new IllegalArgumentException("masks differ in size: " + a.length + " vs " + b.length);
    }
    long inter = 0;
    long sum = 0;
    for (int n = 0; n < a.length; n++) {
      sum += (a[n] ? 1 : 0) + (b[n] ? 1 : 0);
      inter += a[n] && b[n] ? 1 : 0;
    }
    return new Overlap(inter, sum);
  }

  /** The pooled counts of both. */
  public Overlap plus(final Overlap other) {
    return new Overlap(intersection + other.intersection, sum + other.sum);
  }

  /** 2|A and B| / (|A| + |B|); 1 when both are empty. */
  public double dice() {
    return sum == 0 ? 1.0 : 2.0 * intersection / sum;
  }
}
