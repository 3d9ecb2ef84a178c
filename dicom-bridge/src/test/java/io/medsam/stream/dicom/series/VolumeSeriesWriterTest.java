package io.medsam.stream.dicom.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.medsam.stream.dicom.seg.PatientStudy;
import io.medsam.stream.dicom.seg.SourceSeries;
import io.medsam.stream.dicom.testing.ExternalTool;
import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.dicom.DicomSeries;
import io.medsam.stream.imaging.nifti.NiftiReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ch2 written as a 181-instance MR series and a CT-like series in HU read back by the imaging
 * module's DICOM reader as the same voxels and geometry; dciodvfy finds no error in the instances.
 */
class VolumeSeriesWriterTest {
  private static final Path CH2 = Path.of("/usr/share/mricron/templates/ch2.nii.gz");

  @TempDir Path tmp;

  @Test
  void ch2AsMrSeriesReadsBackTheSameVolume() throws Exception {
    final Volume ch2 = ch2();
    final SourceSeries written =
        VolumeSeriesWriter.write(
            ch2, SeriesSpec.create("MR", PatientStudy.anonymous(), "ch2", 0), tmp);
    assertThat(written.images()).hasSize(181);
    try (var files = Files.list(tmp)) {
      assertThat(files.count()).isEqualTo(181);
    }
    final Volume back = DicomSeries.read(tmp);
    assertThat(back.metadata().modality()).isEqualTo("MR");
    assertThat(back.metadata().seriesUid()).isEqualTo(written.seriesInstanceUid());
    assertThat(new int[] {back.nx(), back.ny(), back.nz()})
        .containsExactly(ch2.nx(), ch2.ny(), ch2.nz());
    assertThat(Arrays.mismatch(back.voxels(), ch2.voxels()))
        .as("first differing voxel")
        .isEqualTo(-1);
    assertThat(back.affine().m()).containsExactly(ch2.affine().m(), within(1e-6));
    assertValid(tmp.resolve("IM0001.dcm"), "MRImage");
    assertValid(tmp.resolve("IM0181.dcm"), "MRImage");
  }

  @Test
  void ctLikeSeriesKeepsHounsfieldUnits() throws Exception {
    final Volume ch2 = ch2();
    final int nz = 6;
    final int plane = ch2.nx() * ch2.ny();
    final float[] hu = Arrays.copyOfRange(ch2.voxels(), 85 * plane, (85 + nz) * plane);
    for (int n = 0; n < hu.length; n++) {
      hu[n] = hu[n] * 4 - 1000; // air at -1000 HU, tissue above
    }
    final Volume ct =
        new Volume(
            hu,
            ch2.nx(),
            ch2.ny(),
            nz,
            ch2.dx(),
            ch2.dy(),
            ch2.dz(),
            ch2.affine(),
            ch2.metadata().withModality("CT"));
    VolumeSeriesWriter.write(
        ct, SeriesSpec.create("CT", PatientStudy.anonymous(), "ct-like", -1024), tmp);
    final Volume back = DicomSeries.read(tmp);
    assertThat(back.metadata().isCt()).isTrue();
    assertThat(Arrays.mismatch(back.voxels(), hu)).as("first differing voxel").isEqualTo(-1);
    assertValid(tmp.resolve("IM0001.dcm"), "CTImage");
  }

  @Test
  void refusesValuesThatAreNotSixteenBitIntegers() throws Exception {
    final Volume ch2 = ch2();
    final float[] v = ch2.voxels().clone();
    v[7] = 0.5f;
    final Volume bad =
        new Volume(v, ch2.nx(), ch2.ny(), ch2.nz(), 1, 1, 1, ch2.affine(), ch2.metadata());
    assertThatThrownBy(
            () ->
                VolumeSeriesWriter.write(
                    bad, SeriesSpec.create("MR", PatientStudy.anonymous(), "x", 0), tmp))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("voxel (7, 0, 0) = 0.5");
  }

  private static Volume ch2() throws Exception {
    assumeTrue(Files.isRegularFile(CH2), "ch2 not found: apt-get install mricron-data");
    return NiftiReader.read(CH2);
  }

  private static void assertValid(final Path file, final String iod) throws Exception {
    if (!Files.isExecutable(ExternalTool.DCIODVFY)) {
      return; // the volume checks above still ran; dev/setup installs dicom3tools for CI
    }
    final ExternalTool.Result r =
        ExternalTool.run(List.of(ExternalTool.DCIODVFY.toString(), file.toString()));
    assertThat(r.output().lines()).as(r.output()).contains(iod);
    assertThat(r.output().lines().filter(l -> l.startsWith("Error")).toList())
        .as(r.output())
        .isEmpty();
  }
}
