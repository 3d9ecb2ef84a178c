package io.medsam.stream.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.avro.ImageSlice;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.topology.Topics;
import io.medsam.stream.topology.testing.InProcessKafkaExtension;
import io.medsam.stream.topology.testing.TopicReader;
import io.medsam.stream.topology.worker.WorkerState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Kill test: an encoder worker dies inside its third transaction, after that batch's embeddings are
 * in the log but before offsets and commit (no abort, clients dropped like a crashed process). A
 * restarted worker with the same transactional id fences it; a read_committed reader then sees
 * every slice's embedding exactly once, and the aborted copies in the log carry the same bytes as
 * the committed ones (re-encoding is deterministic).
 */
class EncoderKillTest {

  private static final int SLICES = 24;
  private static final int BATCH = 4;
  private static final String SERIES = "kill-series";

  @RegisterExtension static final InProcessKafkaExtension kafka = new InProcessKafkaExtension();

  /** Stands for the process dying: not an exception the worker handles. */
  private static final class SimulatedCrash extends Error {
    private static final long serialVersionUID = 1L;

    SimulatedCrash() {
      super("simulated crash inside the transaction");
    }
  }

  @Test
  void crashMidTransactionThenRestartLeavesEachEmbeddingExactlyOnce() throws Exception {
    publishSlices();
    final ModelBundle bundle = ModelBundle.read(Golden.tinyBundle());
    final Map<String, Object> quickGroup =
        Map.of("session.timeout.ms", 6000, "heartbeat.interval.ms", 1000);
    final EncoderWorkerConfig config =
        EncoderWorkerConfig.of(kafka.bootstrapServers(), "encoder-kill-0")
            .withBatching(BATCH, Duration.ofMillis(200))
            .withClientOverrides(quickGroup)
            .withCommitInterval(Duration.ZERO); // one transaction per batch: crash in the third

    final AtomicInteger transactions = new AtomicInteger();
    final AtomicInteger sentBeforeCrash = new AtomicInteger();
    try (ImageEncoderSession session =
        ImageEncoderSession.open(bundle, EncoderSessionOptions.cpu(1))) {
      final EncoderWorker doomed =
          new EncoderWorker(
              config,
              session,
              new SimpleMeterRegistry(),
              (producer, keys) -> {
                if (transactions.incrementAndGet() == 3) {
                  producer.flush(); // the open transaction's records reach the log
                  sentBeforeCrash.set(keys.size());
                  throw new SimulatedCrash();
                }
              },
              () -> {});
      doomed.start();
      assertThat(doomed.awaitStopped(Duration.ofSeconds(120))).isTrue();
      assertThat(doomed.state()).isEqualTo(WorkerState.FAILED);
      assertThat(doomed.failure()).containsInstanceOf(SimulatedCrash.class);
      final int committedBeforeCrash = (int) doomed.slicesEncoded(); // two committed batches
      assertThat(committedBeforeCrash).isBetween(2, 2 * BATCH);
      assertThat(committedBeforeCrash + sentBeforeCrash.get()).isLessThan(SLICES);
      assertThat(sentBeforeCrash.get()).isPositive();

      final List<ConsumerRecord<byte[], byte[]>> beforeRestart =
          TopicReader.readAll(
              kafka.bootstrapServers(),
              Topics.EMBEDDINGS,
              false,
              committedBeforeCrash + sentBeforeCrash.get(),
              Duration.ofMillis(500),
              Duration.ofSeconds(30));
      assertThat(beforeRestart).hasSize(committedBeforeCrash + sentBeforeCrash.get());

      try (EncoderWorker restarted =
          new EncoderWorker(config, session, new SimpleMeterRegistry())) {
        restarted.start();
        final List<ConsumerRecord<byte[], byte[]>> committed =
            TopicReader.readAll(
                kafka.bootstrapServers(),
                Topics.EMBEDDINGS,
                true,
                SLICES,
                Duration.ofSeconds(3),
                Duration.ofSeconds(120));
        final List<ConsumerRecord<byte[], byte[]>> everything =
            TopicReader.readAll(
                kafka.bootstrapServers(),
                Topics.EMBEDDINGS,
                false,
                SLICES + sentBeforeCrash.get(),
                Duration.ofSeconds(1),
                Duration.ofSeconds(30));

        final AvroCodec<SliceEmbedding> codec = AvroCodec.of(SliceEmbedding.class);
        final List<String> keys =
            committed.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList();
        final Set<String> expected =
            IntStream.range(0, SLICES)
                .mapToObj(i -> SERIES + "/axial/" + i)
                .collect(Collectors.toSet());
        assertThat(keys).hasSize(SLICES).doesNotHaveDuplicates();
        assertThat(Set.copyOf(keys)).isEqualTo(expected);
        assertThat(restarted.slicesEncoded()).isEqualTo((double) SLICES - committedBeforeCrash);
        // the aborted batch is still in the log, invisible to read_committed
        assertThat(everything).hasSize(SLICES + sentBeforeCrash.get());

        final Map<String, ByteBuffer> committedData = new HashMap<>();
        committed.forEach(
            r ->
                committedData.put(
                    new String(r.key(), StandardCharsets.UTF_8),
                    codec.decode(r.value(), r.topic(), r.partition(), r.offset()).getData()));
        for (final ConsumerRecord<byte[], byte[]> r : everything) {
          final SliceEmbedding e = codec.decode(r.value(), r.topic(), r.partition(), r.offset());
          assertThat(e.getData()).as(e.getSliceKey()).isEqualTo(committedData.get(e.getSliceKey()));
        }
      }
    }
  }

  private static void publishSlices() throws Exception {
    final AvroCodec<ImageSlice> codec = AvroCodec.of(ImageSlice.class);
    final Random random = new Random(7);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", kafka.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (int i = 0; i < SLICES; i++) {
        final byte[] pixels = new byte[40 * 50];
        random.nextBytes(pixels);
        final String key = SERIES + "/axial/" + i;
        final ImageSlice slice =
            ImageSlice.newBuilder()
                .setSliceKey(key)
                .setSeriesUid(SERIES)
                .setAxis("axial")
                .setIndex(i)
                .setHeight(40)
                .setWidth(50)
                .setChannels(1)
                .setPixels(ByteBuffer.wrap(pixels))
                .setPixelSpacingRow(1.0)
                .setPixelSpacingCol(1.0)
                .setSlicePosition(i)
                .setModality("MR")
                .setSourceUri("synthetic")
                .setScanId("kill-test")
                .setCreatedAt(Instant.now())
                .build();
        producer
            .send(
                new ProducerRecord<>(
                    Topics.SLICES, key.getBytes(StandardCharsets.UTF_8), codec.encode(slice)))
            .get();
      }
    }
  }
}
