package io.medsam.stream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.avro.DeadLetter;
import io.medsam.stream.avro.ImageSlice;
import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.dicom.orthanc.OrthancServers;
import io.medsam.stream.topology.Topics;
import io.medsam.stream.topology.testing.InProcessKafkaExtension;
import io.medsam.stream.topology.testing.TopicReader;
import io.medsam.stream.topology.worker.WorkerState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Never a poison pill, on an in-process broker: a corrupt gzip NIfTI, a volume past the voxel
 * limit, a gzip bomb whose header announces more than the source limit, a PNG past the slice limit
 * and a PNG whose slice record is larger than medsam.slices.v1 takes each give exactly one dead
 * letter naming what is wrong (and sizes), carrying the scan, not the file; the scan after them
 * still ingests and the worker keeps running.
 */
class IngestPoisonPillTest {

  private static final Path CH2 = Path.of("/usr/share/mricron/templates/ch2.nii.gz");
  private static final IngestLimits LIMITS = new IngestLimits(12_000_000L, 8_000_000L, 8L << 20);

  @RegisterExtension static final InProcessKafkaExtension kafka = new InProcessKafkaExtension();

  @Test
  void eachBadScanIsOneDeadLetterAndTheNextScanIngests(@TempDir final Path tmp) throws Exception {
    final Path corrupt = tmp.resolve("corrupt.nii.gz");
    Files.write(corrupt, Arrays.copyOf(Files.readAllBytes(CH2), 5000));
    final Path huge = TestScans.nifti(tmp.resolve("huge.nii"), 300, 300, 100, 1, 1000);
    final Path bomb = TestScans.nifti(tmp.resolve("bomb.nii.gz"), 150, 150, 200, 2, 64L << 20);
    final Path wide =
        TestScans.png(tmp.resolve("wide.png"), 3500, 3500, BufferedImage.TYPE_BYTE_GRAY);
    final Path heavy =
        TestScans.png(tmp.resolve("heavy.png"), 3400, 3400, BufferedImage.TYPE_INT_RGB);
    assertThat(Files.size(bomb)).isLessThan(1L << 20); // 64 MiB of zeros, compressed
    final Path good = Files.copy(CH2, tmp.resolve("good.nii.gz"));

    final Map<String, Path> bad =
        Map.of("corrupt", corrupt, "huge", huge, "bomb", bomb, "wide", wide, "heavy", heavy);
    final Map<String, ScanEvent> scans =
        bad.entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey, e -> describe(e.getValue(), List.of(0))));
    final ScanEvent goodScan = ScanPublisher.describe(good, "MR", "axial", List.of(90));
    try (ScanPublisher publisher = new ScanPublisher(kafka.bootstrapServers())) {
      for (final String name : List.of("corrupt", "huge", "bomb", "wide", "heavy")) {
        publisher.publish(scans.get(name));
      }
      publisher.publish(goodScan);
    }

    try (IngestWorker worker =
        new IngestWorker(
            kafka.bootstrapServers(),
            "ingest-poison-1",
            Map.of(),
            new SimpleMeterRegistry(),
            OrthancServers.none(),
            ScanRoots.of(List.of(tmp)),
            LIMITS)) {
      worker.start();
      final List<ConsumerRecord<byte[], byte[]>> slices =
          TopicReader.readAll(
              kafka.bootstrapServers(),
              Topics.SLICES,
              true,
              1,
              Duration.ofSeconds(2),
              Duration.ofSeconds(120));
      final List<DeadLetter> letters =
          TestScans.deadLetters(
              TopicReader.readAll(
                  kafka.bootstrapServers(),
                  Topics.DEAD_LETTERS,
                  true,
                  5,
                  Duration.ofSeconds(2),
                  Duration.ofSeconds(60)));

      assertThat(letters).hasSize(5);
      final Map<String, DeadLetter> byScan =
          letters.stream().collect(Collectors.toMap(d -> TestScans.payload(d).getScanId(), d -> d));
      final Map<String, String> reasons =
          scans.entrySet().stream()
              .collect(
                  Collectors.toMap(
                      Map.Entry::getKey, e -> byScan.get(e.getValue().getScanId()).getReason()));
      System.out.println("dead-letter reasons: " + reasons);
      assertThat(reasons.get("corrupt")).contains("unreadable");
      assertThat(reasons.get("huge"))
          .contains("300x300x100 = 9000000 voxels")
          .contains("limit of 8000000 voxels per volume");
      assertThat(reasons.get("bomb"))
          .contains("9000352 bytes of NIfTI data")
          .contains("limit of 8388608 bytes");
      assertThat(reasons.get("wide"))
          .contains("3500x3500 = 12250000 pixels")
          .contains("limit of 12000000 pixels per slice");
      assertThat(reasons.get("heavy"))
          .contains("3400x3400x3")
          .contains("max.message.bytes " + Topics.SLICE_MAX_BYTES);
      assertThat(letters)
          .allSatisfy(
              d -> {
                assertThat(d.getComponent()).isEqualTo("ingest");
                assertThat(d.getErrorClass()).endsWith("Exception");
                // the payload is the scan (path removed), never the file
                assertThat(d.getPayload().remaining()).isLessThan(4096);
                assertThat(TestScans.payload(d).getSourceUri()).doesNotContain(tmp.toString());
              });
      assertThat(byScan.get(scans.get("heavy").getScanId()).getErrorClass())
          .isEqualTo(ScanTooLargeException.class.getName());

      final AvroCodec<ImageSlice> codec = AvroCodec.of(ImageSlice.class);
      assertThat(slices).hasSize(1);
      final ImageSlice slice =
          codec.decode(slices.get(0).value(), Topics.SLICES, slices.get(0).partition(), 0);
      assertThat(slice.getSliceKey()).isEqualTo(goodScan.getSeriesUid() + "/axial/90");
      assertThat(worker.state()).isEqualTo(WorkerState.RUNNING);
      assertThat(worker.scansIngested()).isEqualTo(1.0);
    }
  }

  private static ScanEvent describe(final Path file, final List<Integer> slices) {
    try {
      return ScanPublisher.describe(file, "MR", "axial", slices);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
