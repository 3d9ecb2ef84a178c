package io.medsam.stream.imaging.metrics;

import io.medsam.stream.imaging.mask.BinaryMask;

/**
 * Dice similarity coefficient and normalized surface distance (NSD, "surface Dice") as the MedSAM
 * evaluation reports them.
 *
 * <p>NSD = (|{a in S_A : d(a, S_B) &lt;= tau}| + |{b in S_B : d(b, S_A) &lt;= tau}|) / (|S_A| +
 * |S_B|), with d the Euclidean distance in mm between voxel centres (anisotropic spacing). This is
 * a voxel-boundary approximation of DeepMind's surface-distance package, which weights surface
 * elements by their area: here every boundary voxel ({@link Surfaces}) counts once.
 *
 * <p>Empty masks: both empty gives DSC = 1 and NSD = 1 (nothing to find, nothing found); exactly
 * one empty gives 0 for both.
 */
public final class SegmentationMetrics {
  private static final double EPS_MM = 1e-9;

  private SegmentationMetrics() {}

  /** 2|A and B| / (|A| + |B|); 1 when both are empty. */
  public static double dice(final boolean[] a, final boolean[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("masks differ in size: " + a.length + " vs " + b.length);
    }
    long inter = 0;
    long sum = 0;
    for (int n = 0; n < a.length; n++) {
      if (a[n]) {
        sum++;
        if (b[n]) {
          inter++;
        }
      }
      if (b[n]) {
        sum++;
      }
    }
    return sum == 0 ? 1.0 : 2.0 * inter / sum;
  }

  /** Dice of two 2D masks of the same size. */
  public static double dice(final BinaryMask a, final BinaryMask b) {
    requireSameSize(a, b);
    return dice(a.pixels(), b.pixels());
  }

  /** NSD of two masks on {@code grid} at {@code toleranceMm}. */
  public static double nsd(
      final boolean[] a, final boolean[] b, final VoxelGrid grid, final double toleranceMm) {
    if (!(toleranceMm >= 0)) {
      throw new IllegalArgumentException("tolerance must be >= 0 mm, got " + toleranceMm);
    }
    grid.check(a, "mask A");
    grid.check(b, "mask B");
    final RegionOfInterest roi = RegionOfInterest.of(a, b, grid);
    if (roi == null) {
      return 1.0;
    }
    final boolean[] surfaceA = Surfaces.boundary(roi.a, roi.grid);
    final boolean[] surfaceB = Surfaces.boundary(roi.b, roi.grid);
    final long nA = Surfaces.count(surfaceA);
    final long nB = Surfaces.count(surfaceB);
    if (nA + nB == 0) {
      return 1.0;
    }
    final double limit = toleranceMm * toleranceMm + EPS_MM;
    final long closeA = countWithin(surfaceA, DistanceTransform.squared(surfaceB, roi.grid), limit);
    final long closeB = countWithin(surfaceB, DistanceTransform.squared(surfaceA, roi.grid), limit);
    return (double) (closeA + closeB) / (nA + nB);
  }

  /** NSD of two 2D masks with the given row and column spacing (mm). */
  public static double nsd(
      final BinaryMask a,
      final BinaryMask b,
      final double rowSpacing,
      final double colSpacing,
      final double toleranceMm) {
    requireSameSize(a, b);
    return nsd(
        a.pixels(),
        b.pixels(),
        VoxelGrid.plane(a.height(), a.width(), rowSpacing, colSpacing),
        toleranceMm);
  }

  private static long countWithin(
      final boolean[] surface, final double[] squaredDistance, final double limit) {
    long n = 0;
    for (int i = 0; i < surface.length; i++) {
      if (surface[i] && squaredDistance[i] <= limit) {
        n++;
      }
    }
    return n;
  }

  private static void requireSameSize(final BinaryMask a, final BinaryMask b) {
    if (a.height() != b.height() || a.width() != b.width()) {
      throw new IllegalArgumentException(
          "masks differ in size: "
              + a.height()
              + "x"
              + a.width()
              + " vs "
              + b.height()
              + "x"
              + b.width());
    }
  }
}
