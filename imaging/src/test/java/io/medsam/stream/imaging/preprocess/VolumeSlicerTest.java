package io.medsam.stream.imaging.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medsam.stream.imaging.Affine;
import io.medsam.stream.imaging.ScanMetadata;
import io.medsam.stream.imaging.Slice2D;
import io.medsam.stream.imaging.SliceAxis;
import io.medsam.stream.imaging.Volume;
import org.junit.jupiter.api.Test;

/** The CONVENTIONS slicing rule, checked voxel by voxel on a volume whose values encode (i,j,k). */
class VolumeSlicerTest {
  private static final int NX = 4;
  private static final int NY = 3;
  private static final int NZ = 2;

  private static Volume coded(final Affine affine) {
    final float[] v = new float[NX * NY * NZ];
    for (int k = 0; k < NZ; k++) {
      for (int j = 0; j < NY; j++) {
        for (int i = 0; i < NX; i++) {
          v[i + NX * (j + NY * k)] = i + 10 * j + 100 * k;
        }
      }
    }
    return new Volume(v, NX, NY, NZ, 0.5, 2.0, 3.0, affine, new ScanMetadata("MR", "s", "mem", ""));
  }

  private static float code(final int i, final int j, final int k) {
    return i + 10 * j + 100 * k;
  }

  @Test
  void axialImageRowIsJAndColumnIsI() {
    final Volume v = coded(Affine.scaling(0.5, 2, 3));
    final float[] img = VolumeSlicer.values(v, SliceAxis.AXIAL, 1);
    final SliceGeometry g = VolumeSlicer.geometry(v, SliceAxis.AXIAL, 1);
    assertThat(new int[] {g.height(), g.width()}).containsExactly(NY, NX);
    assertThat(new double[] {g.rowSpacing(), g.colSpacing()}).containsExactly(2.0, 0.5);
    for (int r = 0; r < NY; r++) {
      for (int c = 0; c < NX; c++) {
        assertThat(img[r * NX + c]).isEqualTo(code(c, r, 1));
      }
    }
    assertThat(g.position()).isEqualTo(3.0);
  }

  @Test
  void coronalImageRowIsKAndColumnIsI() {
    final Volume v = coded(Affine.scaling(0.5, 2, 3));
    final float[] img = VolumeSlicer.values(v, SliceAxis.CORONAL, 2);
    final SliceGeometry g = VolumeSlicer.geometry(v, SliceAxis.CORONAL, 2);
    assertThat(new int[] {g.height(), g.width()}).containsExactly(NZ, NX);
    assertThat(new double[] {g.rowSpacing(), g.colSpacing()}).containsExactly(3.0, 0.5);
    for (int r = 0; r < NZ; r++) {
      for (int c = 0; c < NX; c++) {
        assertThat(img[r * NX + c]).isEqualTo(code(c, 2, r));
      }
    }
    assertThat(g.position()).isEqualTo(4.0);
  }

  @Test
  void sagittalImageRowIsKAndColumnIsJ() {
    final Volume v = coded(Affine.scaling(0.5, 2, 3));
    final float[] img = VolumeSlicer.values(v, SliceAxis.SAGITTAL, 3);
    final SliceGeometry g = VolumeSlicer.geometry(v, SliceAxis.SAGITTAL, 3);
    assertThat(new int[] {g.height(), g.width()}).containsExactly(NZ, NY);
    assertThat(new double[] {g.rowSpacing(), g.colSpacing()}).containsExactly(3.0, 2.0);
    for (int r = 0; r < NZ; r++) {
      for (int c = 0; c < NY; c++) {
        assertThat(img[r * NY + c]).isEqualTo(code(3, c, r));
      }
    }
    assertThat(g.position()).isEqualTo(1.5);
  }

  @Test
  void positionFollowsTheAffineAlongTheSliceDirection() {
    // ch2-like sform: origin (-90, -125, -71), unit steps: axial k=90 lies at z = 19 mm.
    final Affine a =
        new Affine(new double[] {1, 0, 0, -90, 0, 1, 0, -125, 0, 0, 1, -71, 0, 0, 0, 1});
    final Volume v = coded(a);
    assertThat(VolumeSlicer.geometry(v, SliceAxis.AXIAL, 1).position()).isEqualTo(-70.0);
    assertThat(VolumeSlicer.geometry(v, SliceAxis.CORONAL, 2).position()).isEqualTo(-123.0);
    assertThat(VolumeSlicer.geometry(v, SliceAxis.SAGITTAL, 0).position()).isEqualTo(-90.0);
  }

  @Test
  void normalizedSliceCarriesGeometry() {
    final Volume v = coded(Affine.scaling(0.5, 2, 3));
    final Slice2D s = VolumeSlicer.slice(v, SliceAxis.AXIAL, 0, new IntensityWindow(0, 255, true));
    assertThat(s.channels()).isEqualTo(1);
    assertThat(s.at(2, 3, 0)).isEqualTo(23);
    assertThat(s.rowSpacing()).isEqualTo(2.0);
    assertThat(s.colSpacing()).isEqualTo(0.5);
    assertThat(VolumeSlicer.sliceCount(v, SliceAxis.SAGITTAL)).isEqualTo(NX);
    assertThatThrownBy(() -> VolumeSlicer.values(v, SliceAxis.AXIAL, NZ))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void sliceKeyFollowsTheConvention() {
    assertThat(SliceAxis.CORONAL.sliceKey("1.2.3", 17)).isEqualTo("1.2.3/coronal/17");
    assertThat(SliceAxis.fromWireName("2d")).isEqualTo(SliceAxis.TWO_D);
  }
}
