package io.medsam.stream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medsam.stream.avro.DeadLetter;
import io.medsam.stream.avro.ImageSlice;
import io.medsam.stream.avro.OrthancSource;
import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.avro.SourceKind;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.dicom.orthanc.OrthancClient;
import io.medsam.stream.dicom.orthanc.OrthancServers;
import io.medsam.stream.dicom.seg.SourceSeries;
import io.medsam.stream.dicom.testing.ExternalTool;
import io.medsam.stream.dicom.testing.Mpeg2Fixture;
import io.medsam.stream.dicom.testing.OrthancProcess;
import io.medsam.stream.dicom.testing.TestSeries;
import io.medsam.stream.topology.Topics;
import io.medsam.stream.topology.testing.InProcessKafkaExtension;
import io.medsam.stream.topology.testing.TopicReader;
import io.medsam.stream.topology.worker.WorkerState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest of Orthanc series (a real Orthanc, an in-process broker): a C-STOREd MR series gives the
 * same slices, in the same order, as its folder read locally; a JPEG 2000 instance is read through
 * Orthanc's transcoding; an instance in a syntax Orthanc cannot decode, and a scan naming an
 * Orthanc the worker is not configured with, each give one dead letter, and the worker keeps going.
 */
class IngestFromOrthancTest {

  @RegisterExtension static final InProcessKafkaExtension kafka = new InProcessKafkaExtension();

  @TempDir Path tmp;

  @Test
  void orthancSeriesAreSlicedInPositionOrderAndUndecodableOnesAreDeadLetters() throws Exception {
    final Path jpeg2000 = ExternalTool.PYDICOM_TEST_FILES.resolve("JPEG2000.dcm");
    ExternalTool.require(jpeg2000, "python3-pydicom");
    ExternalTool.require(OrthancProcess.GDCM_PLUGIN, "orthanc-gdcm");
    try (OrthancProcess orthanc = OrthancProcess.start(Files.createDirectories(tmp.resolve("o")))) {
      final OrthancClient client = orthanc.client();
      final SourceSeries mr = TestSeries.mr(tmp.resolve("mr"), 5, TestSeries.patient());
      orthanc.cStore(tmp.resolve("mr"));
      final String j2kSeries = seriesOf(client, client.storeInstance(Files.readAllBytes(jpeg2000)));
      final String mpeg2Series =
          seriesOf(client, client.storeInstance(Mpeg2Fixture.relabelled(jpeg2000, tmp)));
      final String mrSeries = seriesWithUid(client, mr.seriesInstanceUid());

      final ScanEvent unknown = scan("elsewhere", mrSeries, "unknown-orthanc");
      final ScanEvent undecodable = scan("pacs", mpeg2Series, "mpeg2");
      final ScanEvent j2k = scan("pacs", j2kSeries, "jpeg2000");
      final ScanEvent series = scan("pacs", mrSeries, mr.seriesInstanceUid());
      try (ScanPublisher publisher = new ScanPublisher(kafka.bootstrapServers())) {
        for (final ScanEvent e : List.of(unknown, undecodable, j2k, series)) {
          publisher.publish(e);
        }
      }
      final IngestWorker worker =
          new IngestWorker(
              kafka.bootstrapServers(),
              "ingest-orthanc-test",
              Map.of(),
              new SimpleMeterRegistry(),
              OrthancServers.parse(List.of("pacs=http://127.0.0.1:" + orthanc.httpPort())),
              ScanRoots.none(),
              IngestLimits.defaults());
      worker.start();
      try {
        final AvroCodec<DeadLetter> deadCodec = AvroCodec.of(DeadLetter.class);
        final Map<String, DeadLetter> letters =
            TopicReader.readAll(
                    kafka.bootstrapServers(),
                    Topics.DEAD_LETTERS,
                    true,
                    2,
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(90))
                .stream()
                .map(r -> deadCodec.decode(r.value(), r.topic(), r.partition(), r.offset()))
                .collect(Collectors.toMap(DeadLetter::getKey, Function.identity()));
        assertThat(letters).containsOnlyKeys("unknown-orthanc", "mpeg2");
        assertThat(letters.get("unknown-orthanc").getReason())
            .contains("names Orthanc 'elsewhere', which this ingest worker is not configured with")
            .contains("reads pacs");
        assertThat(letters.get("mpeg2").getReason())
            .contains("1.2.840.10008.1.2.4.100 (MPEG2 Main Profile / Main Level)")
            .contains("Orthanc could not decode");

        final AvroCodec<ImageSlice> sliceCodec = AvroCodec.of(ImageSlice.class);
        final Map<String, ImageSlice> slices =
            TopicReader.readAll(
                    kafka.bootstrapServers(),
                    Topics.SLICES,
                    true,
                    1 + 5,
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(90))
                .stream()
                .map(r -> sliceCodec.decode(r.value(), r.topic(), r.partition(), r.offset()))
                .collect(Collectors.toMap(ImageSlice::getSliceKey, Function.identity()));
        assertThat(slices).hasSize(6).containsKey("jpeg2000/axial/0");
        assertThat(slices.get("jpeg2000/axial/0").getHeight()).isEqualTo(1024);
        assertThat(slices.get("jpeg2000/axial/0").getModality()).isEqualTo("NM");

        // the same series read from its folder: same slices, same order, same pixels
        final List<ImageSlice> local =
            new ScanSlicer().slice(ScanPublisher.describe(tmp.resolve("mr"), null, "axial"));
        assertThat(local).hasSize(5);
        for (final ImageSlice expected : local) {
          final ImageSlice got = slices.get(expected.getSliceKey());
          assertThat(got).as(expected.getSliceKey()).isNotNull();
          assertThat(got.getPixels()).isEqualTo(expected.getPixels());
          assertThat(got.getSlicePosition()).isEqualTo(expected.getSlicePosition());
          assertThat(got.getSourceUri()).isEqualTo("orthanc:pacs/series/" + mrSeries);
        }
        assertThat(worker.state()).isEqualTo(WorkerState.RUNNING);
        assertThat(worker.scansIngested()).isEqualTo(2.0);
      } finally {
        worker.close();
      }
    }
  }

  @Test
  void anOrthancThatDoesNotAnswerIsRetriedNotDeadLettered() throws Exception {
    final int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    final OrthancScans scans =
        new OrthancScans(OrthancServers.parse(List.of("pacs=http://127.0.0.1:" + port)));
    assertThatThrownBy(() -> scans.read(scan("pacs", "0123abcd", "s")))
        .isInstanceOf(OrthancUnavailableException.class)
        .hasMessageContaining("Orthanc 'pacs' did not answer");
    assertThatThrownBy(() -> scans.read(scan("pacs", "../../system", "s")))
        .isInstanceOf(UnreadableScanException.class)
        .hasMessageContaining("not an Orthanc id");
  }

  private static ScanEvent scan(final String server, final String seriesId, final String key) {
    return ScanEvent.newBuilder()
        .setScanId("scan-" + key)
        .setSeriesUid(key)
        .setSourceUri("orthanc:" + server + "/series/" + seriesId)
        .setSourceKind(SourceKind.DICOM_SERIES)
        .setModality("OT")
        .setAxes(List.of("axial"))
        .setCtWindowLow(null)
        .setCtWindowHigh(null)
        .setRequestedAt(Instant.now())
        .setSlices(null)
        .setOrthanc(OrthancSource.newBuilder().setServer(server).setSeriesId(seriesId).build())
        .build();
  }

  private static String seriesOf(final OrthancClient client, final String instanceId)
      throws Exception {
    return client.parentSeries(instanceId);
  }

  private static String seriesWithUid(final OrthancClient client, final String uid)
      throws Exception {
    for (final String id : client.allSeries()) {
      if (client.series(id).seriesInstanceUid().equals(uid)) {
        return id;
      }
    }
    throw new AssertionError("no series " + uid + " in Orthanc");
  }
}
