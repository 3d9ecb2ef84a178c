package io.medsam.stream.dicom.orthanc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medsam.stream.dicom.seg.PatientStudy;
import io.medsam.stream.dicom.seg.Segment;
import io.medsam.stream.dicom.seg.SegmentationSeries;
import io.medsam.stream.dicom.seg.SegmentationWriter;
import io.medsam.stream.dicom.seg.SourceSeries;
import io.medsam.stream.dicom.series.SeriesSpec;
import io.medsam.stream.dicom.series.VolumeSeriesWriter;
import io.medsam.stream.dicom.testing.ExternalTool;
import io.medsam.stream.dicom.testing.Mpeg2Fixture;
import io.medsam.stream.dicom.testing.OrthancProcess;
import io.medsam.stream.imaging.Affine;
import io.medsam.stream.imaging.ScanMetadata;
import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.dicom.DicomDataset;
import io.medsam.stream.imaging.dicom.DicomInstance;
import io.medsam.stream.imaging.dicom.DicomParser;
import io.medsam.stream.imaging.dicom.DicomReader;
import io.medsam.stream.imaging.mask.BinaryMask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Orthanc process: a 4-slice MR series sent over DICOM C-STORE (dcmtk's storescu) shows up
 * in the change feed as one StableSeries with its instances; a SEG stored back over REST comes back
 * byte for byte and passes dciodvfy.
 */
class OrthancClientTest {
  @TempDir Path tmp;

  @Test
  void cStoredSeriesBecomesOneStableSeriesAndSegIsStoredBack() throws Exception {
    final SourceSeries series = writeSeries(tmp.resolve("series"));
    try (OrthancProcess orthanc = OrthancProcess.start(Files.createDirectories(tmp.resolve("o")))) {
      final OrthancClient client = orthanc.client();
      assertThat(client.version()).isNotBlank();
      orthanc.cStore(tmp.resolve("series"));

      final List<Change> stable = stableSeries(client, 0);
      assertThat(stable).hasSize(1);
      final String seriesId = stable.get(0).id();
      assertThat(client.seriesInstanceUid(seriesId)).isEqualTo(series.seriesInstanceUid());
      assertThat(client.seriesInstances(seriesId)).hasSize(4);

      final SeriesInfo info = client.series(seriesId);
      assertThat(info.seriesInstanceUid()).isEqualTo(series.seriesInstanceUid());
      assertThat(info.modality()).isEqualTo("MR");
      assertThat(info.instances()).hasSize(4);
      assertThat(client.transferSyntax(info.instances().get(0)))
          .contains(OrthancClient.EXPLICIT_VR_LITTLE_ENDIAN);

      final byte[] seg = segOf(series);
      final String segId = client.storeInstance(seg);
      assertThat(client.instanceFile(segId)).isEqualTo(seg);
      final Path back = tmp.resolve("seg-from-orthanc.dcm");
      Files.write(back, client.instanceFile(segId));
      assertThat(ExternalTool.dciodvfyErrors(back)).isEmpty();
      assertThatThrownBy(() -> client.seriesInstances("../system"))
          .isInstanceOfSatisfying(
              OrthancException.class, e -> assertThat(e.unreachable()).isFalse());
      assertThatThrownBy(() -> client.series("0123abcd-0000"))
          .isInstanceOfSatisfying(
              OrthancException.class, e -> assertThat(e.status()).isEqualTo(404));
    }
  }

  @Test
  void aJpeg2000InstanceIsReadThroughTranscodingAndAnUndecodableSyntaxIsNamed() throws Exception {
    final Path jpeg2000 = ExternalTool.PYDICOM_TEST_FILES.resolve("JPEG2000.dcm");
    ExternalTool.require(jpeg2000, "python3-pydicom");
    ExternalTool.require(OrthancProcess.GDCM_PLUGIN, "orthanc-gdcm");
    try (OrthancProcess orthanc = OrthancProcess.start(Files.createDirectories(tmp.resolve("o")))) {
      final OrthancClient client = orthanc.client();
      final String id = client.storeInstance(Files.readAllBytes(jpeg2000));
      assertThat(client.transferSyntax(id)).contains("1.2.840.10008.1.2.4.91");
      final OrthancSeriesReader reader = new OrthancSeriesReader(client, "test");
      final OrthancSeriesReader.InstanceFile file = reader.file(id);
      final DicomInstance decoded = DicomReader.read(file.part10(), "j2k");
      assertThat(decoded.transferSyntax().uid()).isEqualTo(OrthancClient.EXPLICIT_VR_LITTLE_ENDIAN);
      assertThat(decoded.rows()).isEqualTo(1024);
      assertThat(decoded.columns()).isEqualTo(256);
      // the decoded file keeps the stored instance's SOPInstanceUID (pydicom's file's)
      final DicomDataset transcoded = DicomParser.parse(file.part10(), "x");
      assertThat(transcoded.string(0x00080018))
          .isEqualTo("1.3.6.1.4.1.5962.1.1.8.1.3.20040826185059.5457");
      // POST /instances/{id}/modify with a Transcode crashed this Orthanc within three calls
      for (int n = 0; n < 10; n++) {
        assertThat(reader.file(id).part10()).isEqualTo(file.part10());
      }
      assertThat(client.version()).isNotBlank();

      final String mpeg2 = client.storeInstance(Mpeg2Fixture.relabelled(jpeg2000, tmp));
      assertThatThrownBy(() -> reader.file(mpeg2))
          .isInstanceOfSatisfying(
              UndecodableInstanceException.class,
              e -> {
                assertThat(e.transferSyntax()).isEqualTo(Mpeg2Fixture.MPEG2);
                assertThat(e.getMessage())
                    .contains("1.2.840.10008.1.2.4.100 (MPEG2 Main Profile / Main Level)")
                    .contains("orthanc:test/instances/" + mpeg2);
              });
      assertThat(client.version()).as("Orthanc still runs").isNotBlank();
    }
  }

  /** Follows the feed until it is done and a StableSeries has come (at most 30 s). */
  private static List<Change> stableSeries(final OrthancClient client, final long from)
      throws Exception {
    final List<Change> stable = new ArrayList<>();
    long since = from;
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (stable.isEmpty() && System.nanoTime() < deadline) {
      final ChangePage page = client.changes(since, 100);
      page.changes().stream().filter(Change::isStableSeries).forEach(stable::add);
      since = page.last();
      if (page.done() && stable.isEmpty()) {
        Thread.sleep(250); // Orthanc announces StableSeries after StableAge (1 s) of quiet
      }
    }
    return stable;
  }

  private static SourceSeries writeSeries(final Path folder) throws Exception {
    final int cols = 16;
    final int rows = 12;
    final int slices = 4;
    final float[] v = new float[cols * rows * slices];
    for (int n = 0; n < v.length; n++) {
      v[n] = n % 97;
    }
    final Volume volume =
        new Volume(
            v,
            cols,
            rows,
            slices,
            1,
            1,
            2,
            Affine.scaling(1, 1, 2),
            new ScanMetadata("MR", "x", "synthetic", ""));
    return VolumeSeriesWriter.write(
        volume,
        SeriesSpec.create(
            "MR",
            new PatientStudy("", "Test^Patient", "T-1", "", "O", "", "", "", "", ""),
            "orthanc test",
            0),
        folder);
  }

  private static byte[] segOf(final SourceSeries series) {
    final boolean[] px = new boolean[series.rows() * series.columns()];
    px[5] = true;
    final BinaryMask one = new BinaryMask(px, series.rows(), series.columns());
    final List<BinaryMask> masks =
        new ArrayList<>(Collections.nCopies(4, BinaryMask.empty(series.rows(), series.columns())));
    masks.set(2, one);
    return new SegmentationWriter(Clock.systemUTC(), "test")
        .write(
            series,
            List.of(Segment.of("target", masks)),
            SegmentationSeries.create(301, "MedSAM masks", "test"));
  }
}
