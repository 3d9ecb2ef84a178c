package io.medsam.stream.imaging.nifti;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medsam.stream.imaging.Affine;
import io.medsam.stream.imaging.ScanMetadata;
import io.medsam.stream.imaging.Volume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NiftiWriter output read back by NiftiReader (and the real AAL atlas round-tripped). */
class NiftiWriterTest {

  private static final Path AAL = Path.of("/usr/share/mricron/templates/aal.nii.gz");

  @Test
  void float32VolumeWithObliqueAffineRoundTrips(@TempDir final Path dir) throws IOException {
    final float[] voxels = new float[4 * 3 * 2];
    for (int i = 0; i < voxels.length; i++) {
      voxels[i] = i * 0.5f - 3.25f;
    }
    final Affine affine =
        new Affine(new double[] {0, -1.5, 0, 10, 2, 0, 0, -20, 0, 0, 3, 5.5, 0, 0, 0, 1});
    final Volume v =
        new Volume(voxels, 4, 3, 2, 2, 1.5, 3, affine, new ScanMetadata("MR", "s", "test", ""));
    final Path file = dir.resolve("v.nii");
    NiftiWriter.write(v, NiftiDatatype.FLOAT32, "round trip", file);
    final Volume back = NiftiReader.read(file);
    assertThat(back.voxels()).containsExactly(voxels);
    assertThat(new int[] {back.nx(), back.ny(), back.nz()}).containsExactly(4, 3, 2);
    assertThat(new double[] {back.dx(), back.dy(), back.dz()}).containsExactly(2, 1.5, 3);
    assertThat(back.affine()).isEqualTo(affine);
    assertThat(NiftiReader.readHeader(file).description()).isEqualTo("round trip");
    assertThat(Files.size(file)).isEqualTo(352 + 4L * voxels.length);
  }

  @Test
  void aalLabelsRoundTripAsGzippedInt16(@TempDir final Path dir) throws IOException {
    final Volume aal = NiftiReader.read(AAL);
    final Path file = dir.resolve("labels.nii.gz");
    NiftiWriter.write(aal, NiftiDatatype.INT16, "aal copy", file);
    final Volume back = NiftiReader.read(file);
    assertThat(back.voxels()).isEqualTo(aal.voxels());
    assertThat(back.affine()).isEqualTo(aal.affine());
    assertThat(NiftiReader.readHeader(file).datatypeCode()).isEqualTo(NiftiDatatype.INT16.code());
  }

  @Test
  void refusesValuesOutsideTheType() {
    final Volume v =
        new Volume(
            new float[] {0, 300},
            2,
            1,
            1,
            1,
            1,
            1,
            Affine.scaling(1, 1, 1),
            new ScanMetadata("OT", "s", "t", ""));
    assertThatThrownBy(() -> NiftiWriter.encode(v, NiftiDatatype.UINT8, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("UINT8");
  }
}
