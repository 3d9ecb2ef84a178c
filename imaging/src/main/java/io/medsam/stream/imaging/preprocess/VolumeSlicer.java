package io.medsam.stream.imaging.preprocess;

import io.medsam.stream.imaging.Slice2D;
import io.medsam.stream.imaging.SliceAxis;
import io.medsam.stream.imaging.Volume;

/**
 * Cuts 2D slices out of a volume with the team's slicing convention (no reorientation, no flips),
 * for volume vol[i][j][k] of size (nx, ny, nz):
 *
 * <pre>
 *   axial k:    image[r][c] = vol[c][r][k]   H = ny, W = nx, row spacing dy, col spacing dx
 *   coronal j:  image[r][c] = vol[c][j][r]   H = nz, W = nx, row spacing dz, col spacing dx
 *   sagittal i: image[r][c] = vol[i][c][r]   H = nz, W = ny, row spacing dz, col spacing dy
 * </pre>
 */
public final class VolumeSlicer {

  private VolumeSlicer() {}

  /** Number of slices along {@code axis}. */
  public static int sliceCount(final Volume v, final SliceAxis axis) {
    return switch (axis) {
      case AXIAL -> v.nz();
      case CORONAL -> v.ny();
      case SAGITTAL -> v.nx();
      case TWO_D -> throw new IllegalArgumentException("a volume is not sliced along '2d'");
    };
  }

  /** Size, spacing and position of slice {@code index}. */
  public static SliceGeometry geometry(final Volume v, final SliceAxis axis, final int index) {
    checkIndex(v, axis, index);
    final int col =
        switch (axis) {
          case AXIAL -> 2;
          case CORONAL -> 1;
          default -> 0;
        };
    final double[] step = v.affine().column(col);
    final double stepLength = Math.sqrt(step[0] * step[0] + step[1] * step[1] + step[2] * step[2]);
    final double spacing = col == 2 ? v.dz() : col == 1 ? v.dy() : v.dx();
    double position = index * spacing;
    if (stepLength > 0) {
      final double[] origin = v.affine().column(3);
      final double along =
          (origin[0] * step[0] + origin[1] * step[1] + origin[2] * step[2]) / stepLength;
      position = along + index * stepLength;
    }
    return switch (axis) {
      case AXIAL -> new SliceGeometry(v.ny(), v.nx(), v.dy(), v.dx(), position);
      case CORONAL -> new SliceGeometry(v.nz(), v.nx(), v.dz(), v.dx(), position);
      default -> new SliceGeometry(v.nz(), v.ny(), v.dz(), v.dy(), position);
    };
  }

  /** The slice's physical values, row-major H x W. */
  public static float[] values(final Volume v, final SliceAxis axis, final int index) {
    checkIndex(v, axis, index);
    final int nx = v.nx();
    final int ny = v.ny();
    final int nz = v.nz();
    final float[] data = v.voxels();
    switch (axis) {
      case AXIAL:
        {
          final float[] out = new float[nx * ny];
          System.arraycopy(data, nx * ny * index, out, 0, out.length);
          return out;
        }
      case CORONAL:
        {
          final float[] out = new float[nz * nx];
          for (int r = 0; r < nz; r++) {
            System.arraycopy(data, nx * (index + ny * r), out, r * nx, nx);
          }
          return out;
        }
      default:
        {
          final float[] out = new float[nz * ny];
          for (int r = 0; r < nz; r++) {
            for (int c = 0; c < ny; c++) {
              out[r * ny + c] = data[index + nx * (c + ny * r)];
            }
          }
          return out;
        }
    }
  }

  /** The normalized 8-bit grey slice {@code index}. */
  public static Slice2D slice(
      final Volume v, final SliceAxis axis, final int index, final IntensityWindow window) {
    final SliceGeometry g = geometry(v, axis, index);
    return new Slice2D(
        window.apply(values(v, axis, index)),
        g.height(),
        g.width(),
        1,
        g.rowSpacing(),
        g.colSpacing(),
        g.position());
  }

  private static void checkIndex(final Volume v, final SliceAxis axis, final int index) {
    final int n = sliceCount(v, axis);
    if (index < 0 || index >= n) {
      throw new IndexOutOfBoundsException(axis.wireName() + " slice " + index + " of " + n);
    }
  }
}
