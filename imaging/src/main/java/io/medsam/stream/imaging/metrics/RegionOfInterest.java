package io.medsam.stream.imaging.metrics;

/**
 * The smallest sub-grid holding every foreground voxel of two masks, plus a one-voxel margin
 * (clamped to the grid). Surface distances between the masks are the same on the sub-grid: all
 * surface voxels lie inside it, and the margin keeps each axis that is longer than one voxel in the
 * grid longer than one voxel in the sub-grid, so boundaries are found identically.
 */
final class RegionOfInterest {
  final VoxelGrid grid;
  final boolean[] a;
  final boolean[] b;

  private RegionOfInterest(final VoxelGrid grid, final boolean[] a, final boolean[] b) {
    this.grid = grid;
    this.a = a;
    this.b = b;
  }

  /** The cropped masks, or null when both are empty. */
  static RegionOfInterest of(final boolean[] a, final boolean[] b, final VoxelGrid g) {
    final int nx = g.nx();
    final int ny = g.ny();
    final int[] lo = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE};
    final int[] hi = {-1, -1, -1};
    for (int n = 0; n < a.length; n++) {
      if (a[n] || b[n]) {
        final int i = n % nx;
        final int j = (n / nx) % ny;
        final int k = n / (nx * ny);
        lo[0] = Math.min(lo[0], i);
        lo[1] = Math.min(lo[1], j);
        lo[2] = Math.min(lo[2], k);
        hi[0] = Math.max(hi[0], i);
        hi[1] = Math.max(hi[1], j);
        hi[2] = Math.max(hi[2], k);
      }
    }
    if (hi[0] < 0) {
      return null;
    }
    final int[] size = {nx, ny, g.nz()};
    for (int d = 0; d < 3; d++) {
      lo[d] = Math.max(0, lo[d] - 1);
      hi[d] = Math.min(size[d] - 1, hi[d] + 1);
    }
    final VoxelGrid sub =
        new VoxelGrid(
            hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1, g.dx(), g.dy(), g.dz());
    final boolean[] ca = new boolean[sub.size()];
    final boolean[] cb = new boolean[sub.size()];
    for (int k = 0; k < sub.nz(); k++) {
      for (int j = 0; j < sub.ny(); j++) {
        final int src = lo[0] + nx * ((lo[1] + j) + ny * (lo[2] + k));
        final int dst = sub.nx() * (j + sub.ny() * k);
        System.arraycopy(a, src, ca, dst, sub.nx());
        System.arraycopy(b, src, cb, dst, sub.nx());
      }
    }
    return new RegionOfInterest(sub, ca, cb);
  }
}
