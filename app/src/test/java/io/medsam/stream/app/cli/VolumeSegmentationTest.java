package io.medsam.stream.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medsam.stream.app.eval.Box3dRun;
import io.medsam.stream.imaging.Affine;
import io.medsam.stream.imaging.ScanMetadata;
import io.medsam.stream.imaging.SliceAxis;
import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.preprocess.PixelBox;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code segment --box3d} refuses a 3D box the volume cannot hold before anything is sent. */
class VolumeSegmentationTest {

  // nx = 40 (W of an axial slice), ny = 30 (H), nz = 12 axial slices
  private static final Volume VOLUME =
      new Volume(
          new float[40 * 30 * 12],
          40,
          30,
          12,
          1,
          1,
          1,
          new Affine(new double[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}),
          new ScanMetadata("MR", "s", "test", ""));

  @Test
  void aBoxInsideTheVolumeIsKept() {
    assertThat(
            VolumeSegmentation.check(
                List.of(2.0, 3.0, 4.0, 30.0, 20.0, 9.0), VOLUME, SliceAxis.AXIAL))
        .isEqualTo(new Box3dRun.Box3d(new PixelBox(2, 3, 30, 20), 4, 9));
  }

  @Test
  void badBoxesAreRefusedWithTheProblemNamed() {
    assertThatThrownBy(
            () ->
                VolumeSegmentation.check(
                    List.of(2.0, 3.0, 9.0, 30.0, 20.0, 4.0), VOLUME, SliceAxis.AXIAL))
        .hasMessageContaining("z range is inverted");
    assertThatThrownBy(
            () ->
                VolumeSegmentation.check(
                    List.of(2.0, 3.0, 4.0, 30.0, 20.0, 12.0), VOLUME, SliceAxis.AXIAL))
        .hasMessageContaining("outside the volume's 12 axial slices");
    assertThatThrownBy(
            () ->
                VolumeSegmentation.check(
                    List.of(2.0, 3.0, 4.0, 50.0, 20.0, 9.0), VOLUME, SliceAxis.AXIAL))
        .hasMessageContaining("outside the 30x40 image");
    assertThatThrownBy(
            () -> VolumeSegmentation.check(List.of(2.0, 3.0, 4.0), VOLUME, SliceAxis.AXIAL))
        .hasMessageContaining("x0,y0,z0,x1,y1,z1");
  }
}
