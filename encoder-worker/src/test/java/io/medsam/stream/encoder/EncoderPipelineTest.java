package io.medsam.stream.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.ingest.IngestWorker;
import io.medsam.stream.ingest.ScanPublisher;
import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.topology.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end on an in-process broker with the real ingest worker and the tiny random bundle:
 * ch2.nii.gz along the axial axis gives exactly 181 SliceEmbeddings keyed
 * {@code <seriesUid>/axial/0..180}, each [C,h,w] float16 with the slice's H x W.
 */
class EncoderPipelineTest {

  private static final Path CH2 = Path.of("/usr/share/mricron/templates/ch2.nii.gz");

  private static InProcessKafka kafka;

  @BeforeAll
  static void startKafka() throws Exception {
    kafka = InProcessKafka.start();
  }

  @AfterAll
  static void stopKafka() throws Exception {
    kafka.close();
  }

  @Test
  void ch2AxialGives181EmbeddingsWithTheRightKeysAndShapes() throws Exception {
    final EncoderBundle bundle = EncoderBundle.load(Golden.tinyBundle());
    final ScanEvent scan;
    try (ScanPublisher publisher = new ScanPublisher(kafka.bootstrapServers())) {
      scan = publisher.publish(CH2, "MR", "axial");
    }
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (IngestWorker ingest =
            new IngestWorker(kafka.bootstrapServers(), "ingest-it", Map.of(), registry);
        ImageEncoderSession session = ImageEncoderSession.open(bundle, EncoderSessionOptions.cpu(1));
        EncoderWorker encoder =
            new EncoderWorker(
                EncoderWorkerConfig.of(kafka.bootstrapServers(), "encoder-it")
                    .withBatching(8, Duration.ofMillis(50)),
                session,
                registry)) {
      final Thread ingestThread = new Thread(ingest, "ingest");
      final Thread encoderThread = new Thread(encoder, "encoder");
      ingestThread.start();
      encoderThread.start();

      final List<ConsumerRecord<byte[], byte[]>> records =
          TopicReader.readAll(kafka.bootstrapServers(), Topics.EMBEDDINGS, true, 181,
              Duration.ofSeconds(3), Duration.ofSeconds(180));

      final AvroCodec<SliceEmbedding> codec = AvroCodec.of(SliceEmbedding.class);
      final List<SliceEmbedding> embeddings = records.stream()
          .map(r -> codec.decode(r.value(), r.topic(), r.partition(), r.offset()))
          .toList();
      final Set<String> expected = IntStream.range(0, 181)
          .mapToObj(i -> scan.getSeriesUid() + "/axial/" + i)
          .collect(Collectors.toSet());
      assertThat(embeddings).hasSize(181);
      assertThat(embeddings.stream().map(SliceEmbedding::getSliceKey).collect(Collectors.toSet()))
          .isEqualTo(expected);
      assertThat(records).allSatisfy(r ->
          assertThat(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8))
              .isEqualTo(codec.decode(r.value(), r.topic(), r.partition(), r.offset()).getSliceKey()));
      assertThat(embeddings).allSatisfy(e -> {
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
      assertThat(registry.find("medsam.encoder.batch.size").summary().max()).isLessThanOrEqualTo(8.0);
      assertThat(encoder.failure()).isNull();
    }
  }
}
