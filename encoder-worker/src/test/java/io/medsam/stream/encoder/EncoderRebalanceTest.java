package io.medsam.stream.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.avro.ImageSlice;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.topology.testing.InProcessKafkaExtension;
import io.medsam.stream.topology.testing.TopicReader;
import io.medsam.stream.topology.worker.WorkerState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two encoder workers in one group while slices flow: a second worker joins mid-stream (the first
 * commits its batch in hand on revocation) and later leaves. A read_committed reader sees each
 * slice's embedding exactly once.
 */
class EncoderRebalanceTest {

  private static final int SLICES = 60;
  private static final String IN = "test.rebalance.slices";
  private static final String OUT = "test.rebalance.embeddings";

  @RegisterExtension static final InProcessKafkaExtension kafka = new InProcessKafkaExtension();

  @BeforeAll
  static void createTopics() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin
          .createTopics(List.of(new NewTopic(IN, 3, (short) 1), new NewTopic(OUT, 3, (short) 1)))
          .all()
          .get();
    }
  }

  @Test
  void workersJoiningAndLeavingMidStreamCommitEachEmbeddingOnce() throws Exception {
    final ModelBundle bundle = ModelBundle.read(Golden.tinyBundle());
    final Map<String, Object> quickGroup =
        Map.of("session.timeout.ms", 6000, "heartbeat.interval.ms", 1000);
    final EncoderWorkerConfig first =
        EncoderWorkerConfig.of(kafka.bootstrapServers(), "encoder-rb-0")
            .withBatching(3, Duration.ofMillis(100))
            .withClientOverrides(quickGroup)
            .withTopics("medsam-encoder-rb", IN, OUT);
    final EncoderWorkerConfig second =
        EncoderWorkerConfig.of(kafka.bootstrapServers(), "encoder-rb-1")
            .withBatching(3, Duration.ofMillis(100))
            .withClientOverrides(quickGroup)
            .withTopics("medsam-encoder-rb", IN, OUT);
    try (ImageEncoderSession session =
            ImageEncoderSession.open(bundle, EncoderSessionOptions.cpu(1));
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
      final EncoderWorker a = new EncoderWorker(first, session, new SimpleMeterRegistry());
      final EncoderWorker b = new EncoderWorker(second, session, new SimpleMeterRegistry());
      a.start();
      publish(producer, 0, SLICES / 3);
      b.start(); // joins while a is busy
      publish(producer, SLICES / 3, 2 * SLICES / 3);
      Thread.sleep(1000);
      b.close(); // leaves mid-stream, committing its batch in hand
      publish(producer, 2 * SLICES / 3, SLICES);

      final List<ConsumerRecord<byte[], byte[]>> committed =
          TopicReader.readAll(
              kafka.bootstrapServers(),
              OUT,
              true,
              SLICES,
              Duration.ofSeconds(3),
              Duration.ofSeconds(120));
      a.close();

      final List<String> keys =
          committed.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList();
      assertThat(keys).doesNotHaveDuplicates();
      assertThat(Set.copyOf(keys))
          .isEqualTo(
              IntStream.range(0, SLICES)
                  .mapToObj(i -> "rb/axial/" + i)
                  .collect(Collectors.toSet()));
      assertThat(a.slicesEncoded() + b.slicesEncoded()).isEqualTo(SLICES);
      assertThat(a.state()).isEqualTo(WorkerState.STOPPED);
      assertThat(b.state()).isEqualTo(WorkerState.STOPPED);
    }
  }

  private static void publish(
      final KafkaProducer<byte[], byte[]> producer, final int from, final int to) throws Exception {
    final AvroCodec<ImageSlice> codec = AvroCodec.of(ImageSlice.class);
    final Random random = new Random(from);
    for (int i = from; i < to; i++) {
      final byte[] pixels = new byte[30 * 20];
      random.nextBytes(pixels);
      final String key = "rb/axial/" + i;
      producer
          .send(
              new ProducerRecord<>(
                  IN,
                  key.getBytes(StandardCharsets.UTF_8),
                  codec.encode(
                      ImageSlice.newBuilder()
                          .setSliceKey(key)
                          .setSeriesUid("rb")
                          .setAxis("axial")
                          .setIndex(i)
                          .setHeight(30)
                          .setWidth(20)
                          .setChannels(1)
                          .setPixels(ByteBuffer.wrap(pixels))
                          .setPixelSpacingRow(1.0)
                          .setPixelSpacingCol(1.0)
                          .setSlicePosition(i)
                          .setModality("MR")
                          .setSourceUri("synthetic")
                          .setScanId("rb")
                          .setCreatedAt(Instant.now())
                          .build())))
          .get();
    }
  }
}
