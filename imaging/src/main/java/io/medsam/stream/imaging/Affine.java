package io.medsam.stream.imaging;

import java.util.Arrays;

/**
 * A 4x4 voxel-to-world matrix (row-major, millimetres). World = RAS+ as in NIfTI; DICOM positions
 * (LPS+) are converted by the DICOM reader by negating x and y.
 *
 * @param m 16 values, row-major; the last row is (0, 0, 0, 1)
 */
public record Affine(double[] m) {

  /** Checks the shape and copies the matrix. */
  public Affine {
    if (m == null || m.length != 16) {
      throw new IllegalArgumentException("an affine needs 16 values, row-major");
    }
    m = m.clone();
  }

  /** Diagonal scaling by the voxel spacing, no translation (NIfTI "method 1"). */
  public static Affine scaling(final double dx, final double dy, final double dz) {
    return new Affine(new double[] {dx, 0, 0, 0, 0, dy, 0, 0, 0, 0, dz, 0, 0, 0, 0, 1});
  }

  /** Element at row r, column c. */
  public double get(final int r, final int c) {
    return m[4 * r + c];
  }

  /** World coordinates (mm) of the centre of voxel (i, j, k). */
  public double[] apply(final double i, final double j, final double k) {
    final double[] out = new double[3];
    for (int r = 0; r < 3; r++) {
      out[r] = m[4 * r] * i + m[4 * r + 1] * j + m[4 * r + 2] * k + m[4 * r + 3];
    }
    return out;
  }

  /** Column c (0..2: the world step of one voxel along i, j or k; 3: the origin), length 3. */
  public double[] column(final int c) {
    return new double[] {m[c], m[4 + c], m[8 + c]};
  }

  /** Returns the matrix as a fresh row-major array. */
  @Override
  public double[] m() {
    return m.clone();
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof Affine other && Arrays.equals(m, other.m);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(m);
  }

  @Override
  public String toString() {
    return "Affine" + Arrays.toString(m);
  }
}
