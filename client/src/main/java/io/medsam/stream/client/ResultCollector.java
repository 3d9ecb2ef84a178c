package io.medsam.stream.client;

import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.avro.serde.RecordDecodingException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one results topic (medsam.masks.v1, medsam.volume-masks.v1; read_committed, every partition
 * from its end at creation, no group) and hands each result, by prompt id, to whoever waits for it.
 *
 * @param <T> the result record
 */
final class ResultCollector<T extends SpecificRecord> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ResultCollector.class);

  /** A result and when this client read it. */
  record Received<T>(T result, long receivedNanos) {}

  private final TopicFollower follower;
  private final Map<String, Received<T>> results = new HashMap<>();
  private final AvroCodec<T> codec;
  private final Function<T, String> promptId;

  ResultCollector(
      final String bootstrapServers,
      final String topic,
      final Class<T> type,
      final Function<T, String> promptId) {
    this.codec = AvroCodec.of(type);
    this.promptId = promptId;
    this.follower =
        new TopicFollower(
            bootstrapServers, topic, Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10));
    follower.consumer().seekToEnd(follower.partitions());
    // fix the start before any prompt is sent
    follower.partitions().forEach(follower.consumer()::position);
    follower.start("medsam-collector-" + topic, this::collect, () -> {});
  }

  private void collect(final ConsumerRecord<byte[], byte[]> r) {
    try {
      final T m = codec.decode(r.value(), r.topic(), r.partition(), r.offset());
      synchronized (results) {
        results.put(promptId.apply(m), new Received<>(m, System.nanoTime()));
        results.notifyAll();
      }
    } catch (RecordDecodingException e) {
      LOG.warn("undecodable result at {}-{}@{}", r.topic(), r.partition(), r.offset());
    }
  }

  /**
   * @param id the prompt
   * @param timeout the longest wait
   * @return its result, or null when none came in time
   * @throws InterruptedException when interrupted
   */
  Received<T> await(final String id, final Duration timeout) throws InterruptedException {
    final long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (results) {
      while (!results.containsKey(id)) {
        final long left = deadline - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        results.wait(Math.max(1, left / 1_000_000));
      }
      return results.remove(id);
    }
  }

  @Override
  public void close() {
    follower.close();
  }
}
