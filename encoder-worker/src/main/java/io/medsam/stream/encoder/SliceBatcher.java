package io.medsam.stream.encoder;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Collects consumed slice records into batches of at most B, releasing a smaller batch once its
 * oldest record has waited T. Records fetched beyond B stay queued for the next batch. On a failed
 * transaction {@link #rewind} seeks every affected partition back to its first unprocessed offset;
 * on revocation the queued records of the lost partitions are dropped (their offsets were never
 * committed, so their new owner reads them again).
 */
final class SliceBatcher {

  private static final Duration IDLE_POLL = Duration.ofMillis(100);

  private final Consumer<byte[], byte[]> consumer;
  private final int maxBatchSize;
  private final long maxWaitNanos;
  private final LongConsumer lagListener;
  private final Deque<Queued> queue = new ArrayDeque<>();

  private record Queued(ConsumerRecord<byte[], byte[]> record, long receivedNanos) {}

  SliceBatcher(
      final Consumer<byte[], byte[]> consumer,
      final int maxBatchSize,
      final Duration maxWait,
      final LongConsumer lagListener) {
    this.consumer = consumer;
    this.maxBatchSize = maxBatchSize;
    this.maxWaitNanos = maxWait.toNanos();
    this.lagListener = lagListener;
  }

  /**
   * Polls until B records are queued, the oldest queued record has waited T, or {@code keepGoing}
   * turns false; returns up to B records in offset order per partition (possibly none). With {@code
   * returnWhenIdle} it also returns (empty) after one poll that found nothing, so that the caller
   * can finish work in hand instead of waiting for more records.
   */
  List<ConsumerRecord<byte[], byte[]>> next(
      final BooleanSupplier keepGoing, final boolean returnWhenIdle) {
    while (keepGoing.getAsBoolean() && queue.size() < maxBatchSize) {
      final Duration timeout;
      if (queue.isEmpty()) {
        timeout = returnWhenIdle ? Duration.ZERO : IDLE_POLL;
      } else {
        final long waited = System.nanoTime() - queue.peekFirst().receivedNanos();
        if (waited >= maxWaitNanos) {
          break;
        }
        timeout = Duration.ofNanos(Math.min(maxWaitNanos - waited, IDLE_POLL.toNanos()));
      }
      final long now = System.nanoTime();
      for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
        queue.addLast(new Queued(record, now));
      }
      reportLag();
      if (returnWhenIdle && queue.isEmpty()) {
        break;
      }
    }
    final List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(maxBatchSize);
    while (batch.size() < maxBatchSize && !queue.isEmpty()) {
      batch.add(queue.pollFirst().record());
    }
    return batch;
  }

  /**
   * Seeks back to the first record of {@code failed} (and of anything queued) per partition that is
   * still assigned, and empties the queue.
   */
  void rewind(final List<ConsumerRecord<byte[], byte[]>> failed) {
    final Map<TopicPartition, Long> first = new HashMap<>();
    final List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>(failed);
    queue.forEach(q -> all.add(q.record()));
    for (final ConsumerRecord<byte[], byte[]> record : all) {
      first.merge(
          new TopicPartition(record.topic(), record.partition()), record.offset(), Math::min);
    }
    queue.clear();
    first.forEach(
        (partition, offset) -> {
          if (consumer.assignment().contains(partition)) {
            consumer.seek(partition, offset);
          }
        });
  }

  /** Number of records fetched but not yet handed out. */
  int queued() {
    return queue.size();
  }

  /** Forgets queued records of partitions this consumer no longer owns. */
  void drop(final Collection<TopicPartition> partitions) {
    queue.removeIf(
        q -> partitions.contains(new TopicPartition(q.record().topic(), q.record().partition())));
  }

  private void reportLag() {
    long lag = queue.size();
    for (final TopicPartition partition : consumer.assignment()) {
      lag += consumer.currentLag(partition).orElse(0L);
    }
    lagListener.accept(lag);
  }
}
