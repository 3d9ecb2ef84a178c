package io.medsam.stream.imaging.nifti;

import io.medsam.stream.imaging.Affine;

/**
 * The fields of a NIfTI-1 header that the reader uses.
 *
 * @param littleEndian byte order of the file
 * @param dim dim[0..7] as stored
 * @param datatypeCode the datatype code as stored
 * @param pixdim pixdim[0..7] as stored (pixdim[0] is qfac)
 * @param voxOffset byte offset of the voxel data
 * @param sclSlope scale slope (0 or non-finite means no scaling)
 * @param sclInter scale intercept
 * @param qformCode qform_code
 * @param sformCode sform_code
 * @param quatern quatern_b, quatern_c, quatern_d, qoffset_x, qoffset_y, qoffset_z
 * @param srow srow_x, srow_y, srow_z (12 values)
 * @param description the descrip field, trimmed
 * @param magic "n+1" (single file) or "ni1" (header/image pair)
 */
public record NiftiHeader(
    boolean littleEndian,
    short[] dim,
    int datatypeCode,
    float[] pixdim,
    long voxOffset,
    float sclSlope,
    float sclInter,
    int qformCode,
    int sformCode,
    float[] quatern,
    float[] srow,
    String description,
    String magic) {

  /** True when scl_slope asks for scaling (non-zero and finite). */
  public boolean hasScaling() {
    return sclSlope != 0 && Float.isFinite(sclSlope) && Float.isFinite(sclInter);
  }

  /** Spacing along axis 1..3 in mm: |pixdim[axis]|, or 1 when the header leaves it 0 or NaN. */
  public double spacing(final int axis) {
    final double d = Math.abs(pixdim[axis]);
    return d > 0 && Double.isFinite(d) ? d : 1.0;
  }

  /**
   * The voxel-to-world affine as nibabel chooses it: the sform when sform_code &gt; 0, else the
   * qform when qform_code &gt; 0, else a plain scaling by the spacing.
   */
  public Affine affine() {
    if (sformCode > 0) {
      final double[] m = new double[16];
      for (int i = 0; i < 12; i++) {
        m[i] = srow[i];
      }
      m[15] = 1;
      return new Affine(m);
    }
    if (qformCode > 0) {
      return qformAffine();
    }
    return Affine.scaling(spacing(1), spacing(2), spacing(3));
  }

  /** The affine from the quaternion, offsets, pixdim and qfac (NIfTI-1 method 2). */
  public Affine qformAffine() {
    double b = quatern[0];
    double c = quatern[1];
    double d = quatern[2];
    double a = 1.0 - (b * b + c * c + d * d);
    if (a < 1e-7) {
      // The quaternion is not unit length within float precision: renormalise, rotation by 180°.
      final double norm = 1.0 / Math.sqrt(b * b + c * c + d * d);
      b *= norm;
      c *= norm;
      d *= norm;
      a = 0;
    } else {
      a = Math.sqrt(a);
    }
    final double qfac = pixdim[0] < 0 ? -1.0 : 1.0;
    final double dx = spacing(1);
    final double dy = spacing(2);
    final double dz = spacing(3) * qfac;
    final double[][] r = {
      {a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)},
      {2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)},
      {2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - b * b - c * c}
    };
    final double[] m = new double[16];
    for (int row = 0; row < 3; row++) {
      m[4 * row] = r[row][0] * dx;
      m[4 * row + 1] = r[row][1] * dy;
      m[4 * row + 2] = r[row][2] * dz;
      m[4 * row + 3] = quatern[3 + row];
    }
    m[15] = 1;
    return new Affine(m);
  }
}
