package io.medsam.stream.imaging.metrics;

import java.util.Arrays;

/**
 * Exact Euclidean distance transform with anisotropic spacing: the lower-envelope-of-parabolas
 * algorithm of Felzenszwalb and Huttenlocher (2012), applied separably along i, j and k. Linear in
 * the number of voxels.
 */
public final class DistanceTransform {

  private DistanceTransform() {}

  /**
   * Squared distance (mm^2) from each voxel centre to the nearest voxel flagged in {@code
   * features}; positive infinity everywhere when there is none.
   */
  public static double[] squared(final boolean[] features, final VoxelGrid g) {
    g.check(features, "feature mask");
    final double[] d = new double[features.length];
    for (int n = 0; n < d.length; n++) {
      d[n] = features[n] ? 0 : Double.POSITIVE_INFINITY;
    }
    final int nx = g.nx();
    final int ny = g.ny();
    final int nz = g.nz();
    final Line line = new Line(Math.max(nx, Math.max(ny, nz)));
    for (int k = 0; k < nz; k++) {
      for (int j = 0; j < ny; j++) {
        line.transform(d, nx * (j + ny * k), 1, nx, g.dx());
      }
    }
    if (ny > 1) {
      for (int k = 0; k < nz; k++) {
        for (int i = 0; i < nx; i++) {
          line.transform(d, i + nx * ny * k, nx, ny, g.dy());
        }
      }
    }
    if (nz > 1) {
      for (int j = 0; j < ny; j++) {
        for (int i = 0; i < nx; i++) {
          line.transform(d, i + nx * j, nx * ny, nz, g.dz());
        }
      }
    }
    return d;
  }

  /** Scratch buffers for the 1D transform of one line. */
  private static final class Line {
    private final double[] f;
    private final int[] v;
    private final double[] z;

    Line(final int n) {
      f = new double[n];
      v = new int[n];
      z = new double[n + 1];
    }

    /** 1D squared-distance transform in place over d[start + step * q], q < n. */
    void transform(
        final double[] d, final int start, final int step, final int n, final double spacing) {
      int k = -1;
      for (int q = 0; q < n; q++) {
        f[q] = d[start + step * q];
        if (f[q] == Double.POSITIVE_INFINITY) {
          continue;
        }
        final double xq = q * spacing;
        while (k >= 0) {
          final double xv = v[k] * spacing;
          final double s = ((f[q] + xq * xq) - (f[v[k]] + xv * xv)) / (2 * (xq - xv));
          if (s <= z[k]) {
            k--;
          } else {
            k++;
            v[k] = q;
            z[k] = s;
            z[k + 1] = Double.POSITIVE_INFINITY;
            break;
          }
        }
        if (k < 0) {
          k = 0;
          v[0] = q;
          z[0] = Double.NEGATIVE_INFINITY;
          z[1] = Double.POSITIVE_INFINITY;
        }
      }
      if (k < 0) {
        return;
      }
      int j = 0;
      for (int q = 0; q < n; q++) {
        final double xq = q * spacing;
        while (z[j + 1] < xq) {
          j++;
        }
        final double dv = xq - v[j] * spacing;
        d[start + step * q] = dv * dv + f[v[j]];
      }
    }
  }

  /** Euclidean distances (mm), the square root of {@link #squared}. */
  public static double[] distances(final boolean[] features, final VoxelGrid g) {
    final double[] d = squared(features, g);
    Arrays.setAll(d, n -> Math.sqrt(d[n]));
    return d;
  }
}
