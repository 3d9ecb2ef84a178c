package io.medsam.stream.dicom.seg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medsam.stream.dicom.series.SeriesSpec;
import io.medsam.stream.dicom.series.VolumeSeriesWriter;
import io.medsam.stream.imaging.Affine;
import io.medsam.stream.imaging.ImageFormatException;
import io.medsam.stream.imaging.ScanMetadata;
import io.medsam.stream.imaging.Volume;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A written series described back from its files: same UIDs, slice order, geometry, patient. */
class SourceSeriesReaderTest {
  @TempDir Path tmp;

  @Test
  void describesAWrittenSeriesInSliceOrder() throws Exception {
    final PatientStudy patient =
        new PatientStudy(
            "ISO_IR 100",
            "Doe^John",
            "P7",
            "19600202",
            "M",
            "20260101",
            "0930",
            "9",
            "A1",
            "Ref^Doc");
    // k runs towards the feet (negative z step), so file order and LPS z order differ
    final Affine affine =
        new Affine(new double[] {1.5, 0, 0, 3, 0, 1.25, 0, -4, 0, 0, -3, 20, 0, 0, 0, 1});
    final Volume v =
        new Volume(
            new float[6 * 5 * 7],
            6,
            5,
            7,
            1.5,
            1.25,
            3,
            affine,
            new ScanMetadata("MR", "x", "s", ""));
    final SourceSeries written =
        VolumeSeriesWriter.write(v, SeriesSpec.create("MR", patient, "d", 0), tmp);
    final SourceSeries read = SourceSeriesReader.read(tmp);
    assertThat(read.seriesInstanceUid()).isEqualTo(written.seriesInstanceUid());
    assertThat(read.studyInstanceUid()).isEqualTo(written.studyInstanceUid());
    assertThat(read.frameOfReferenceUid()).isEqualTo(written.frameOfReferenceUid());
    assertThat(read.rows()).isEqualTo(5);
    assertThat(read.columns()).isEqualTo(6);
    assertThat(read.pixelSpacing()).containsExactly(1.25, 1.5);
    assertThat(read.sliceThickness()).isEqualTo(3.0);
    assertThat(read.images())
        .extracting(SourceImage::sopInstanceUid)
        .containsExactlyElementsOf(
            written.images().stream().map(SourceImage::sopInstanceUid).toList());
    assertThat(read.patientStudy()).isEqualTo(patient);
    // slice order = DicomSeries' k: ascending along the normal, here the reverse of the file order
    assertThat(read.images().get(0).sopInstanceUid())
        .isEqualTo(written.images().get(0).sopInstanceUid());
    assertThat(read.positionAlongNormal(read.images().get(0)))
        .isLessThan(read.positionAlongNormal(read.images().get(6)));
    assertThat(Files.readAllBytes(tmp.resolve("IM0007.dcm")))
        .contains(read.images().get(0).sopInstanceUid().getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void namesTheMissingAttributeNotItsNeighbours() throws Exception {
    Files.write(tmp.resolve("x.dcm"), new byte[0]);
    assertThatThrownBy(() -> SourceSeriesReader.read(tmp)).isInstanceOf(ImageFormatException.class);
  }
}
