package io.medsam.stream.client;

import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.avro.serde.RecordDecodingException;
import io.medsam.stream.topology.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads medsam.masks.v1 (read_committed, every partition from its end at creation, no group) and
 * hands each MaskResult, by prompt id, to whoever waits for it.
 */
final class MaskCollector implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MaskCollector.class);

  /** A MaskResult and when this client read it. */
  record Received(MaskResult result, long receivedNanos) {}

  private final TopicFollower follower;
  private final Map<String, Received> results = new HashMap<>();
  private final AvroCodec<MaskResult> codec = AvroCodec.of(MaskResult.class);

  MaskCollector(final String bootstrapServers) {
    this.follower =
        new TopicFollower(
            bootstrapServers, Topics.MASKS, Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10));
    follower.consumer().seekToEnd(follower.partitions());
    // fix the start before any prompt is sent
    follower.partitions().forEach(follower.consumer()::position);
    follower.start("medsam-mask-collector", this::collect, () -> {});
  }

  private void collect(final ConsumerRecord<byte[], byte[]> r) {
    try {
      final MaskResult m = codec.decode(r.value(), r.topic(), r.partition(), r.offset());
      synchronized (results) {
        results.put(m.getPromptId(), new Received(m, System.nanoTime()));
        results.notifyAll();
      }
    } catch (RecordDecodingException e) {
      LOG.warn("undecodable mask result at {}-{}@{}", r.topic(), r.partition(), r.offset());
    }
  }

  /**
   * @param promptId the prompt
   * @param timeout the longest wait
   * @return its result, or null when none came in time
   * @throws InterruptedException when interrupted
   */
  Received await(final String promptId, final Duration timeout) throws InterruptedException {
    final long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (results) {
      while (!results.containsKey(promptId)) {
        final long left = deadline - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        results.wait(Math.max(1, left / 1_000_000));
      }
      return results.remove(promptId);
    }
  }

  @Override
  public void close() {
    follower.close();
  }
}
