package io.medsam.stream.imaging.metrics;

/**
 * Voxel-boundary surfaces: a foreground voxel is on the surface when one of its face neighbours (4
 * in 2D, 6 in 3D; only along axes longer than one voxel) is background or outside the grid.
 */
public final class Surfaces {

  private Surfaces() {}

  /** The surface voxels of {@code mask}. */
  public static boolean[] boundary(final boolean[] mask, final VoxelGrid g) {
    g.check(mask, "mask");
    final int nx = g.nx();
    final int ny = g.ny();
    final int nz = g.nz();
    final int sliceSize = nx * ny;
    final boolean[] out = new boolean[mask.length];
    for (int k = 0; k < nz; k++) {
      for (int j = 0; j < ny; j++) {
        for (int i = 0; i < nx; i++) {
          final int n = i + nx * (j + ny * k);
          if (!mask[n]) {
            continue;
          }
          boolean edge = false;
          if (nx > 1) {
            edge = i == 0 || i == nx - 1 || !mask[n - 1] || !mask[n + 1];
          }
          if (!edge && ny > 1) {
            edge = j == 0 || j == ny - 1 || !mask[n - nx] || !mask[n + nx];
          }
          if (!edge && nz > 1) {
            edge = k == 0 || k == nz - 1 || !mask[n - sliceSize] || !mask[n + sliceSize];
          }
          out[n] = edge;
        }
      }
    }
    return out;
  }

  /** Number of flagged voxels. */
  static long count(final boolean[] flags) {
    long n = 0;
    for (final boolean f : flags) {
      if (f) {
        n++;
      }
    }
    return n;
  }
}
