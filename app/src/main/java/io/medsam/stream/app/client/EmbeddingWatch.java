package io.medsam.stream.app.client;

import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.avro.serde.RecordDecodingException;
import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.topology.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows medsam.embeddings.v1 (read_committed, every partition from the beginning, no group) and
 * remembers, per sliceKey, the encoder model id and the time of its latest embedding.
 */
final class EmbeddingWatch implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddingWatch.class);

  /** The latest embedding seen for a slice. */
  record Seen(String encoderModelId, long timestampMillis) {}

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<TopicPartition, Long> endAtStart;
  private final Map<String, Seen> seen = new ConcurrentHashMap<>();
  private final AvroCodec<SliceEmbedding> codec = AvroCodec.of(SliceEmbedding.class);
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private final Thread thread;

  EmbeddingWatch(final String bootstrapServers) {
    final Map<String, Object> props =
        new HashMap<>(ClientConfigs.consumer(bootstrapServers, "unused"));
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
    final List<TopicPartition> partitions = consumer.partitionsFor(Topics.EMBEDDINGS).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    this.endAtStart = new HashMap<>(consumer.endOffsets(partitions));
    this.thread = new Thread(this::poll, "medsam-embedding-watch");
    thread.setDaemon(true);
    thread.start();
  }

  private void poll() {
    try {
      while (running.get()) {
        for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          record(r);
        }
        if (caughtUp.getCount() > 0 && endAtStart.entrySet().stream()
            .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
          caughtUp.countDown();
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void record(final ConsumerRecord<byte[], byte[]> r) {
    if (r.key() == null || r.value() == null) {
      return;
    }
    final String key = new String(r.key(), StandardCharsets.UTF_8);
    try {
      final SliceEmbedding e = codec.decode(r.value(), r.topic(), r.partition(), r.offset());
      seen.put(key, new Seen(e.getEncoderModelId(), r.timestamp()));
    } catch (RecordDecodingException e) {
      LOG.debug("ignoring undecodable embedding {}: {}", key, e.getMessage());
    }
  }

  /**
   * Waits until every embedding committed before this watch started has been read.
   *
   * @param timeout the longest wait
   * @return whether it caught up
   * @throws InterruptedException when interrupted
   */
  boolean awaitCaughtUp(final Duration timeout) throws InterruptedException {
    return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** @return the latest embedding of {@code sliceKey}, or null */
  Seen latest(final String sliceKey) {
    return seen.get(sliceKey);
  }

  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
