package io.medsam.stream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.avro.DeadLetter;
import io.medsam.stream.avro.ImageSlice;
import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.topology.Topics;
import io.medsam.stream.topology.testing.InProcessKafkaExtension;
import io.medsam.stream.topology.testing.TopicReader;
import io.medsam.stream.topology.worker.WorkerState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest worker on an in-process broker: bad sources (corrupt NIfTI, JPEG 2000 DICOM, a payload
 * that is not a ScanEvent) each give exactly one DeadLetter and a good scan after them is sliced
 * and published.
 */
class IngestWorkerTest {

  private static final Path PYDICOM =
      Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
  private static final Path CH2 = Path.of("/usr/share/mricron/templates/ch2.nii.gz");

  @RegisterExtension static final InProcessKafkaExtension kafka = new InProcessKafkaExtension();

  @Test
  void badSourcesEachGiveOneDeadLetterAndTheWorkerKeepsGoing(@TempDir final Path tmp)
      throws Exception {
    final Path corrupt = tmp.resolve("corrupt.nii.gz");
    final byte[] good = Files.readAllBytes(CH2);
    Files.write(corrupt, java.util.Arrays.copyOf(good, 5000)); // truncated gzip stream
    final ScanEvent corruptScan = ScanPublisher.describe(corrupt, "MR", "axial");
    final ScanEvent jpeg2000 =
        ScanPublisher.describe(PYDICOM.resolve("JPEG2000.dcm"), null, "axial");
    final ScanEvent ct = ScanPublisher.describe(PYDICOM.resolve("CT_small.dcm"), null, "axial");
    final ScanEvent mrCoronal = ScanPublisher.describe(CH2, "MR", "coronal");

    assertThat(corruptScan.getSourceKind().name()).isEqualTo("NIFTI");
    assertThat(jpeg2000.getSourceKind().name()).isEqualTo("DICOM_FILE");
    try (ScanPublisher publisher = new ScanPublisher(kafka.bootstrapServers());
        KafkaProducer<byte[], byte[]> raw =
            new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
      publisher.publish(corruptScan);
      publisher.publish(jpeg2000);
      raw.send(
              new ProducerRecord<>(
                  Topics.SCANS,
                  "garbage".getBytes(StandardCharsets.UTF_8),
                  "not avro".getBytes(StandardCharsets.UTF_8)))
          .get();
      publisher.publish(ct);
      publisher.publish(mrCoronal);
    }

    final IngestWorker worker =
        new IngestWorker(
            kafka.bootstrapServers(),
            "ingest-test-1",
            Map.of(),
            new SimpleMeterRegistry(),
            io.medsam.stream.dicom.orthanc.OrthancServers.none(),
            ScanRoots.of(List.of(tmp, PYDICOM, CH2.getParent())),
            IngestLimits.defaults());
    worker.start();
    try {
      final List<ConsumerRecord<byte[], byte[]>> letters =
          TopicReader.readAll(
              kafka.bootstrapServers(),
              Topics.DEAD_LETTERS,
              true,
              3,
              Duration.ofSeconds(2),
              Duration.ofSeconds(90));
      final List<ConsumerRecord<byte[], byte[]>> slices =
          TopicReader.readAll(
              kafka.bootstrapServers(),
              Topics.SLICES,
              true,
              1 + 217,
              Duration.ofSeconds(2),
              Duration.ofSeconds(90));

      final AvroCodec<DeadLetter> deadCodec = AvroCodec.of(DeadLetter.class);
      final List<DeadLetter> decoded =
          letters.stream()
              .map(r -> deadCodec.decode(r.value(), r.topic(), r.partition(), r.offset()))
              .toList();
      assertThat(decoded).hasSize(3);
      assertThat(decoded)
          .allSatisfy(
              d -> {
                assertThat(d.getComponent()).isEqualTo("ingest");
                assertThat(d.getSourceTopic()).isEqualTo(Topics.SCANS);
                assertThat(d.getSourceOffset()).isGreaterThanOrEqualTo(0);
              });
      final Map<String, DeadLetter> byKey =
          decoded.stream().collect(Collectors.toMap(DeadLetter::getKey, d -> d));
      assertThat(byKey)
          .containsKeys(corruptScan.getSeriesUid(), jpeg2000.getSeriesUid(), "garbage");
      assertThat(byKey.get(corruptScan.getSeriesUid()).getReason())
          .contains("scan root 1, file ")
          .doesNotContain("corrupt");
      assertThat(byKey.get(jpeg2000.getSeriesUid()).getReason()).containsIgnoringCase("JPEG");
      assertThat(byKey.get("garbage").getPayload().array())
          .isEqualTo("not avro".getBytes(StandardCharsets.UTF_8));

      final AvroCodec<ImageSlice> sliceCodec = AvroCodec.of(ImageSlice.class);
      final List<ImageSlice> published =
          slices.stream()
              .map(r -> sliceCodec.decode(r.value(), r.topic(), r.partition(), r.offset()))
              .toList();
      final Set<String> keys =
          published.stream().map(ImageSlice::getSliceKey).collect(Collectors.toSet());
      final Set<String> expected =
          IntStream.range(0, 217)
              .mapToObj(i -> mrCoronal.getSeriesUid() + "/coronal/" + i)
              .collect(Collectors.toSet());
      expected.add(ct.getSeriesUid() + "/axial/0");
      assertThat(published).hasSize(expected.size());
      assertThat(keys).isEqualTo(expected);

      final ImageSlice ctSlice =
          published.stream()
              .filter(s -> s.getSeriesUid().equals(ct.getSeriesUid()))
              .findFirst()
              .orElseThrow();
      assertThat(ctSlice.getModality()).isEqualTo("CT");
      assertThat(ctSlice.getHeight()).isEqualTo(128);
      assertThat(ctSlice.getWidth()).isEqualTo(128);
      assertThat(ct.getSeriesUid()).matches("[0-9.]+"); // the DICOM SeriesInstanceUID

      final ImageSlice coronal =
          published.stream()
              .filter(s -> s.getSliceKey().equals(mrCoronal.getSeriesUid() + "/coronal/100"))
              .findFirst()
              .orElseThrow();
      assertThat(coronal.getHeight()).isEqualTo(181); // nz
      assertThat(coronal.getWidth()).isEqualTo(181); // nx
      assertThat(coronal.getPixels().remaining()).isEqualTo(181 * 181);
      assertThat(coronal.getPixelSpacingRow()).isEqualTo(1.0);
      assertThat(worker.state()).isEqualTo(WorkerState.RUNNING);
      assertThat(worker.failure()).isEmpty();
      assertThat(worker.scansIngested()).isEqualTo(2.0);
    } finally {
      worker.close();
    }
    assertThat(worker.state()).isEqualTo(WorkerState.STOPPED);
  }
}
