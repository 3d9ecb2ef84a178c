package io.medsam.stream.imaging;

/**
 * A 3D scan: float voxels in file order (i fastest, then j, then k), so voxel (i, j, k) is at
 * {@code i + nx * (j + ny * k)}. Values are in physical units where the format defines them (CT in
 * Hounsfield units after rescale; NIfTI after scl_slope/scl_inter). A 2D image is a volume with
 * {@code nz == 1} where i is the column and j the row.
 *
 * @param voxels nx*ny*nz finite values (not copied: treat as read-only)
 * @param nx size along i (columns for DICOM)
 * @param ny size along j (rows for DICOM)
 * @param nz size along k (slices)
 * @param dx spacing along i, mm
 * @param dy spacing along j, mm
 * @param dz spacing along k, mm
 * @param affine voxel-to-world matrix (NIfTI: sform if set, else qform, else scaling)
 * @param metadata modality, series UID and source
 */
public record Volume(
    float[] voxels,
    int nx,
    int ny,
    int nz,
    double dx,
    double dy,
    double dz,
    Affine affine,
    ScanMetadata metadata) {

  /** Validates sizes and spacing. */
  public Volume {
    if (nx <= 0 || ny <= 0 || nz <= 0) {
      throw new IllegalArgumentException(
          "dimensions must be positive: " + nx + "x" + ny + "x" + nz);
    }
    if ((long) nx * ny * nz != voxels.length) {
      throw new IllegalArgumentException(
          "expected " + ((long) nx * ny * nz) + " voxels, got " + voxels.length);
    }
    for (final double d : new double[] {dx, dy, dz}) {
      if (!(d > 0) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("spacing must be positive and finite: " + d);
      }
    }
    if (affine == null || metadata == null) {
      throw new IllegalArgumentException("affine and metadata are required");
    }
  }

  /** Flat index of voxel (i, j, k). */
  public int index(final int i, final int j, final int k) {
    return i + nx * (j + ny * k);
  }

  /** Value of voxel (i, j, k). */
  public float at(final int i, final int j, final int k) {
    return voxels[index(i, j, k)];
  }

  /** Number of voxels. */
  public int voxelCount() {
    return voxels.length;
  }

  /** A copy of this volume with other metadata. */
  public Volume withMetadata(final ScanMetadata newMetadata) {
    return new Volume(voxels, nx, ny, nz, dx, dy, dz, affine, newMetadata);
  }
}
