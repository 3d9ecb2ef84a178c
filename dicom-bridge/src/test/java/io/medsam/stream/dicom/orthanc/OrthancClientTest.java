package io.medsam.stream.dicom.orthanc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.medsam.stream.dicom.seg.PatientStudy;
import io.medsam.stream.dicom.seg.Segment;
import io.medsam.stream.dicom.seg.SegmentationSeries;
import io.medsam.stream.dicom.seg.SegmentationWriter;
import io.medsam.stream.dicom.seg.SourceSeries;
import io.medsam.stream.dicom.series.SeriesSpec;
import io.medsam.stream.dicom.series.VolumeSeriesWriter;
import io.medsam.stream.dicom.testing.ExternalTool;
import io.medsam.stream.dicom.testing.OrthancProcess;
import io.medsam.stream.imaging.Affine;
import io.medsam.stream.imaging.ScanMetadata;
import io.medsam.stream.imaging.Volume;
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
  private static final Path STORESCU = Path.of("/usr/bin/storescu");

  @TempDir Path tmp;

  @Test
  void cStoredSeriesBecomesOneStableSeriesAndSegIsStoredBack() throws Exception {
    assumeTrue(Files.isExecutable(STORESCU), "storescu not found: apt-get install dcmtk");
    final SourceSeries series = writeSeries(tmp.resolve("series"));
    try (OrthancProcess orthanc = OrthancProcess.start(Files.createDirectories(tmp.resolve("o")))) {
      final OrthancClient client = orthanc.client();
      assertThat(client.version()).isNotBlank();
      final ExternalTool.Result store =
          ExternalTool.run(
              List.of(
                  STORESCU.toString(),
                  "-aec",
                  OrthancProcess.AE_TITLE,
                  "+sd",
                  "127.0.0.1",
                  Integer.toString(orthanc.dicomPort()),
                  tmp.resolve("series").toString()));
      assertThat(store.exitCode()).as(store.output()).isZero();

      final List<Change> stable = stableSeries(client, 0);
      assertThat(stable).hasSize(1);
      final String seriesId = stable.get(0).id();
      assertThat(client.seriesInstanceUid(seriesId)).isEqualTo(series.seriesInstanceUid());
      assertThat(client.seriesInstances(seriesId)).hasSize(4);

      final byte[] seg = segOf(series);
      final String segId = client.storeInstance(seg);
      assertThat(client.instanceFile(segId)).isEqualTo(seg);
      if (Files.isExecutable(ExternalTool.DCIODVFY)) {
        final Path back = tmp.resolve("seg-from-orthanc.dcm");
        Files.write(back, client.instanceFile(segId));
        final ExternalTool.Result r =
            ExternalTool.run(List.of(ExternalTool.DCIODVFY.toString(), back.toString()));
        assertThat(r.output().lines().filter(l -> l.startsWith("Error")).toList())
            .as(r.output())
            .isEmpty();
      }
      assertThatThrownBy(() -> client.seriesInstances("../system"))
          .isInstanceOf(OrthancException.class);
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
