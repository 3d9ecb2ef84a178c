package io.medsam.stream.client;

import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.avro.serde.RecordDecodingException;
import io.medsam.stream.topology.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
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

  private final TopicFollower follower;
  private final Map<TopicPartition, Long> endAtStart;
  private final Map<String, Seen> seen = new ConcurrentHashMap<>();
  private final AvroCodec<SliceEmbedding> codec = AvroCodec.of(SliceEmbedding.class);
  private final CountDownLatch caughtUp = new CountDownLatch(1);

  EmbeddingWatch(final String bootstrapServers) {
    this.follower = new TopicFollower(bootstrapServers, Topics.EMBEDDINGS, Map.of());
    follower.consumer().seekToBeginning(follower.partitions());
    this.endAtStart = new HashMap<>(follower.consumer().endOffsets(follower.partitions()));
    follower.start("medsam-embedding-watch", this::record, this::checkCaughtUp);
  }

  /** On the follower's thread, after each poll. */
  private void checkCaughtUp() {
    if (caughtUp.getCount() > 0
        && endAtStart.entrySet().stream()
            .allMatch(e -> follower.consumer().position(e.getKey()) >= e.getValue())) {
      caughtUp.countDown();
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

  /**
   * @return the latest embedding of {@code sliceKey}, or null
   */
  Seen latest(final String sliceKey) {
    return seen.get(sliceKey);
  }

  /**
   * @return the slice keys seen so far (a snapshot)
   */
  Set<String> sliceKeys() {
    return Set.copyOf(seen.keySet());
  }

  @Override
  public void close() {
    follower.close();
  }
}
