package io.medsam.stream.imaging.metrics;

/**
 * The lattice a mask lives on: sizes and spacing (mm), voxel (i, j, k) at {@code i + nx * (j + ny *
 * k)}. A 2D image of H rows and W columns is the grid (nx = W, ny = H, nz = 1), so row-major pixels
 * need no reordering.
 *
 * @param nx size along i
 * @param ny size along j
 * @param nz size along k
 * @param dx spacing along i, mm
 * @param dy spacing along j, mm
 * @param dz spacing along k, mm
 */
public record VoxelGrid(int nx, int ny, int nz, double dx, double dy, double dz) {

  /** Validates sizes and spacing. */
  public VoxelGrid {
    if (nx <= 0 || ny <= 0 || nz <= 0 || !(dx > 0) || !(dy > 0) || !(dz > 0)) {
      throw new IllegalArgumentException(
          "bad grid " + nx + "x" + ny + "x" + nz + " spacing " + dx + "," + dy + "," + dz);
    }
  }

  /** The grid of a row-major H x W image with the given row and column spacing. */
  public static VoxelGrid plane(
      final int height, final int width, final double rowSpacing, final double colSpacing) {
    return new VoxelGrid(width, height, 1, colSpacing, rowSpacing, 1.0);
  }

  /** Number of voxels. */
  public int size() {
    return nx * ny * nz;
  }

  void check(final boolean[] mask, final String name) {
    if (mask.length != size()) {
      throw new IllegalArgumentException(
          name + " has " + mask.length + " voxels, grid has " + size());
    }
  }
}
