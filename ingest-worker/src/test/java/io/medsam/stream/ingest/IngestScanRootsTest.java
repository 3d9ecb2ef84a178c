package io.medsam.stream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.avro.DeadLetter;
import io.medsam.stream.avro.ImageSlice;
import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.dicom.orthanc.OrthancServers;
import io.medsam.stream.topology.TopicSpec;
import io.medsam.stream.topology.Topics;
import io.medsam.stream.topology.testing.InProcessKafkaExtension;
import io.medsam.stream.topology.testing.TopicReader;
import io.medsam.stream.topology.worker.WorkerState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scan roots and patient data, on an in-process broker: a file outside the roots, one reached
 * through {@code ..}, through a symbolic link to a file and through a linked folder each give a
 * dead letter that carries neither the file's bytes nor its path; a file inside the root named like
 * a patient ingests under a content-derived series id; and no record on any topic of {@link
 * Topics#all()} but medsam.scans.v1 (the requests themselves), read uncommitted, nor any log line,
 * holds the patient's name or a test file's path.
 */
class IngestScanRootsTest {

  private static final Path CH2 = Path.of("/usr/share/mricron/templates/ch2.nii.gz");
  private static final String PATIENT = "Doe^John_1970";

  @RegisterExtension static final InProcessKafkaExtension kafka = new InProcessKafkaExtension();

  @Test
  void onlyFilesUnderTheRootsAreReadAndNoPathOrNameLeaves(@TempDir final Path tmp)
      throws Exception {
    final Path root = Files.createDirectory(tmp.resolve("scans"));
    final Path outside = Files.createDirectory(tmp.resolve("elsewhere"));
    final Path secret = Files.copy(CH2, outside.resolve(PATIENT + ".nii.gz"));
    final Path inside = Files.copy(CH2, root.resolve(PATIENT + ".nii.gz"));
    final Path fileLink = Files.createSymbolicLink(root.resolve("Doe^Jane_link.nii.gz"), secret);
    final Path folderLink = Files.createSymbolicLink(root.resolve("Doe^Folder"), outside);

    final ScanEvent outsideScan = scan(secret, secret.toString());
    final ScanEvent dotDot = scan(inside, root + "/../elsewhere/" + PATIENT + ".nii.gz");
    final ScanEvent viaFileLink = scan(fileLink, fileLink.toString());
    final ScanEvent viaFolderLink =
        scan(inside, folderLink.resolve(PATIENT + ".nii.gz").toString());
    final ScanEvent good = scan(inside, inside.toString());
    final List<ScanEvent> refused = List.of(outsideScan, dotDot, viaFileLink, viaFolderLink);
    assertThat(good.getSeriesUid())
        .as("content, not the name, makes the id")
        .isEqualTo(ScanPublisher.describe(CH2, "MR", "axial").getSeriesUid())
        .doesNotContain("Doe");

    try (CapturedLogs logs = CapturedLogs.capture()) {
      try (ScanPublisher publisher = new ScanPublisher(kafka.bootstrapServers())) {
        for (final ScanEvent scan : refused) {
          publisher.publish(scan);
        }
        publisher.publish(good);
      }
      try (IngestWorker worker =
          new IngestWorker(
              kafka.bootstrapServers(),
              "ingest-roots-1",
              Map.of(),
              new SimpleMeterRegistry(),
              OrthancServers.none(),
              ScanRoots.of(List.of(root)),
              IngestLimits.defaults())) {
        worker.start();
        final List<ConsumerRecord<byte[], byte[]>> slices =
            TopicReader.readAll(
                kafka.bootstrapServers(),
                Topics.SLICES,
                true,
                1,
                Duration.ofSeconds(2),
                Duration.ofSeconds(120));
        final List<ConsumerRecord<byte[], byte[]>> deadRecords =
            TopicReader.readAll(
                kafka.bootstrapServers(),
                Topics.DEAD_LETTERS,
                true,
                4,
                Duration.ofSeconds(2),
                Duration.ofSeconds(60));
        final List<DeadLetter> letters = TestScans.deadLetters(deadRecords);
        final Map<String, DeadLetter> byScan =
            letters.stream()
                .collect(Collectors.toMap(d -> TestScans.payload(d).getScanId(), d -> d));
        System.out.println("refusals: " + letters.stream().map(DeadLetter::getReason).toList());

        assertThat(byScan).containsOnlyKeys(refused.stream().map(ScanEvent::getScanId).toList());
        assertThat(letters)
            .allSatisfy(
                d -> {
                  assertThat(d.getErrorClass())
                      .isEqualTo(OutsideScanRootsException.class.getName());
                  assertThat(d.getPayload().remaining()).isLessThan(2048); // the scan, no file
                });
        assertThat(byScan.get(outsideScan.getScanId()).getReason())
            .contains("outside the scan roots");
        assertThat(byScan.get(dotDot.getScanId()).getReason()).contains("outside the scan roots");
        assertThat(byScan.get(viaFileLink.getScanId()).getReason())
            .contains("through a symbolic link");
        assertThat(byScan.get(viaFolderLink.getScanId()).getReason())
            .contains("through a symbolic link");

        assertThat(slices).hasSize(1);
        final ImageSlice slice =
            AvroCodec.of(ImageSlice.class)
                .decode(slices.get(0).value(), Topics.SLICES, slices.get(0).partition(), 0);
        assertThat(slice.getSliceKey()).isEqualTo(good.getSeriesUid() + "/axial/90");
        assertThat(slice.getSourceUri()).isEqualTo("scan:" + good.getScanId());
        assertThat(worker.state()).isEqualTo(WorkerState.RUNNING);

        final List<ConsumerRecord<byte[], byte[]>> everything = new ArrayList<>();
        for (final TopicSpec topic : Topics.all()) {
          if (!topic.name().equals(Topics.SCANS)) { // the requests name their files
            everything.addAll(
                TopicReader.readAll(
                    kafka.bootstrapServers(),
                    topic.name(),
                    false,
                    topic.name().equals(Topics.SLICES)
                        ? 1
                        : topic.name().equals(Topics.DEAD_LETTERS) ? 4 : 0,
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(10)));
          }
        }
        assertThat(everything).hasSize(5);
        for (final ConsumerRecord<byte[], byte[]> record : everything) {
          final String text =
              new String(record.key(), StandardCharsets.ISO_8859_1)
                  + new String(record.value(), StandardCharsets.ISO_8859_1);
          assertThat(text)
              .as("record on %s", record.topic())
              .doesNotContain("Doe")
              .doesNotContain(tmp.toString())
              .doesNotContain(tmp.toRealPath().toString());
        }
      }
      assertThat(logs.lines()).isNotEmpty();
      assertThat(logs.lines())
          .allSatisfy(
              line ->
                  assertThat(line)
                      .doesNotContain("Doe")
                      .doesNotContain(tmp.toString() + "/elsewhere")
                      .doesNotContain(PATIENT));
    }
  }

  /** The scan of {@code content} (whose series id it gets), asking for {@code sourceUri}. */
  private static ScanEvent scan(final Path content, final String sourceUri) throws Exception {
    return ScanEvent.newBuilder(ScanPublisher.describe(content, "MR", "axial", List.of(90)))
        .setSourceUri(sourceUri)
        .build();
  }
}
