package io.medsam.stream.viewer.state;

import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.avro.serde.RecordDecodingException;
import io.medsam.stream.client.TopicFollower;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One topic read from the beginning and followed (read_committed, every partition, no group), each
 * committed record decoded and handed with its key to a handler; it knows when it has read
 * everything that was committed when it started. Undecodable records are logged and skipped: the
 * workers dead-letter them, the viewer only shows what it can read.
 *
 * @param <T> the topic's record
 */
final class TopicLog<T extends SpecificRecord> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TopicLog.class);

  private final TopicFollower follower;
  private final Map<TopicPartition, Long> endAtStart;
  private final CountDownLatch caughtUp = new CountDownLatch(1);

  TopicLog(
      final String bootstrapServers,
      final String topic,
      final Class<T> type,
      final BiConsumer<String, T> handler) {
    final AvroCodec<T> codec = AvroCodec.of(type);
    this.follower = new TopicFollower(bootstrapServers, topic, Map.of());
    follower.consumer().seekToBeginning(follower.partitions());
    this.endAtStart = new HashMap<>(follower.consumer().endOffsets(follower.partitions()));
    follower.start(
        "medsam-viewer-" + topic,
        r -> {
          if (r.value() == null) {
            return;
          }
          try {
            final String key =
                r.key() == null
                    ? null
                    : new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
            handler.accept(key, codec.decode(r.value(), r.topic(), r.partition(), r.offset()));
          } catch (RecordDecodingException e) {
            LOG.debug(
                "skipping {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
          }
        },
        this::checkCaughtUp);
  }

  private void checkCaughtUp() {
    if (caughtUp.getCount() > 0
        && endAtStart.entrySet().stream()
            .allMatch(e -> follower.consumer().position(e.getKey()) >= e.getValue())) {
      caughtUp.countDown();
    }
  }

  /**
   * @return whether every record committed before this log started has been handled
   */
  boolean awaitCaughtUp(final Duration timeout) throws InterruptedException {
    return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    follower.close();
  }
}
