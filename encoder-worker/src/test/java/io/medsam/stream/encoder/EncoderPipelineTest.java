package io.medsam.stream.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.avro.DeadLetter;
import io.medsam.stream.avro.ImageSlice;
import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.ingest.IngestWorker;
import io.medsam.stream.ingest.ScanPublisher;
import io.medsam.stream.ingest.ScanRoots;
import io.medsam.stream.topology.Topics;
import io.medsam.stream.topology.testing.InProcessKafkaExtension;
import io.medsam.stream.topology.testing.TopicReader;
import io.medsam.stream.topology.worker.WorkerState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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

/**
 * End to end on an in-process broker with the real ingest worker and the tiny random bundle:
 * ch2.nii.gz along the axial axis gives exactly 181 SliceEmbeddings keyed {@code
 * <seriesUid>/axial/0..180}, each [C,h,w] float16 with the slice's H x W; two poison slices before
 * it become the encoder's dead letters and do not stop it.
 */
class EncoderPipelineTest {

  private static final Path CH2 = Path.of("/usr/share/mricron/templates/ch2.nii.gz");

  @RegisterExtension static final InProcessKafkaExtension kafka = new InProcessKafkaExtension();

  @Test
  void ch2AxialGives181EmbeddingsWithTheRightKeysAndShapes() throws Exception {
    final ModelBundle bundle = ModelBundle.read(Golden.tinyBundle());
    final ScanEvent scan;
    try (ScanPublisher publisher = new ScanPublisher(kafka.bootstrapServers());
        KafkaProducer<byte[], byte[]> raw =
            new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
      // two poison slices: not Avro at all, and pixels that do not match H x W
      raw.send(
              new ProducerRecord<>(
                  Topics.SLICES,
                  "bad/axial/0".getBytes(StandardCharsets.UTF_8),
                  "not avro".getBytes(StandardCharsets.UTF_8)))
          .get();
      raw.send(
              new ProducerRecord<>(
                  Topics.SLICES,
                  "bad/axial/1".getBytes(StandardCharsets.UTF_8),
                  AvroCodec.of(ImageSlice.class)
                      .encode(
                          ImageSlice.newBuilder()
                              .setSliceKey("bad/axial/1")
                              .setSeriesUid("bad")
                              .setAxis("axial")
                              .setIndex(1)
                              .setHeight(10)
                              .setWidth(10)
                              .setChannels(1)
                              .setPixels(ByteBuffer.wrap(new byte[7]))
                              .setPixelSpacingRow(1)
                              .setPixelSpacingCol(1)
                              .setSlicePosition(0)
                              .setModality("MR")
                              .setSourceUri("synthetic")
                              .setScanId("bad")
                              .setCreatedAt(Instant.now())
                              .build())))
          .get();
      scan = publisher.publish(CH2, "MR", "axial");
    }
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (IngestWorker ingest =
            new IngestWorker(
                kafka.bootstrapServers(),
                "ingest-it",
                Map.of(),
                registry,
                io.medsam.stream.dicom.orthanc.OrthancServers.none(),
                ScanRoots.of(List.of(CH2.getParent())),
                io.medsam.stream.ingest.IngestLimits.defaults());
        ImageEncoderSession session =
            ImageEncoderSession.open(bundle, EncoderSessionOptions.cpu(1));
        EncoderWorker encoder =
            new EncoderWorker(
                EncoderWorkerConfig.of(kafka.bootstrapServers(), "encoder-it")
                    .withBatching(8, Duration.ofMillis(50)),
                session,
                registry)) {
      ingest.start();
      encoder.start();

      final List<ConsumerRecord<byte[], byte[]>> records =
          TopicReader.readAll(
              kafka.bootstrapServers(),
              Topics.EMBEDDINGS,
              true,
              181,
              Duration.ofSeconds(3),
              Duration.ofSeconds(180));

      final AvroCodec<SliceEmbedding> codec = AvroCodec.of(SliceEmbedding.class);
      final List<SliceEmbedding> embeddings =
          records.stream()
              .map(r -> codec.decode(r.value(), r.topic(), r.partition(), r.offset()))
              .toList();
      final Set<String> expected =
          IntStream.range(0, 181)
              .mapToObj(i -> scan.getSeriesUid() + "/axial/" + i)
              .collect(Collectors.toSet());
      assertThat(embeddings).hasSize(181);
      assertThat(embeddings.stream().map(SliceEmbedding::getSliceKey).collect(Collectors.toSet()))
          .isEqualTo(expected);
      assertThat(records)
          .allSatisfy(
              r ->
                  assertThat(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8))
                      .isEqualTo(
                          codec
                              .decode(r.value(), r.topic(), r.partition(), r.offset())
                              .getSliceKey()));
      assertThat(embeddings)
          .allSatisfy(
              e -> {
                assertThat(e.getShape()).isEqualTo(bundle.embeddingShape());
                assertThat(e.getDtype()).isEqualTo("float16");
                assertThat(e.getData().remaining()).isEqualTo(2 * bundle.embeddingSize());
                assertThat(e.getImageHeight()).isEqualTo(217);
                assertThat(e.getImageWidth()).isEqualTo(181);
                assertThat(e.getPixelSpacingRow()).isEqualTo(1.0);
                assertThat(e.getEncoderModelId()).isEqualTo(bundle.encoderModelId());
                assertThat(e.getSeriesUid()).isEqualTo(scan.getSeriesUid());
              });
      assertThat(encoder.slicesEncoded()).isEqualTo(181.0);

      final AvroCodec<DeadLetter> deadCodec = AvroCodec.of(DeadLetter.class);
      final List<DeadLetter> letters =
          TopicReader.readAll(
                  kafka.bootstrapServers(),
                  Topics.DEAD_LETTERS,
                  true,
                  2,
                  Duration.ofSeconds(1),
                  Duration.ofSeconds(30))
              .stream()
              .map(r -> deadCodec.decode(r.value(), r.topic(), r.partition(), r.offset()))
              .toList();
      assertThat(letters)
          .extracting(DeadLetter::getKey)
          .containsExactlyInAnyOrder("bad/axial/0", "bad/axial/1");
      assertThat(letters)
          .allSatisfy(
              d -> {
                assertThat(d.getComponent()).isEqualTo("encoder");
                assertThat(d.getSourceTopic()).isEqualTo(Topics.SLICES);
              });
      assertThat(registry.find("medsam.encoder.batch.size").summary().max())
          .isLessThanOrEqualTo(8.0);
      assertThat(encoder.failure()).isEmpty();
      assertThat(encoder.state()).isEqualTo(WorkerState.RUNNING);
    }
  }
}
