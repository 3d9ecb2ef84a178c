package io.medsam.stream.trainer.replay;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Replays every committed record of a topic, from the beginning of each partition up to the end it
 * had when the replay started, or reads back the one record at an offset, with a throw-away
 * consumer that assigns itself the partitions and commits nothing. Records of aborted transactions
 * are never delivered ({@code read_committed}, whatever the given settings say); records of a
 * transaction still open when the replay starts are not waited for.
 */
public final class TopicReplay {

  private static final Duration POLL = Duration.ofMillis(200);

  private TopicReplay() {}

  /**
   * Hands each record to {@code action} as it arrives: each partition's records in offset order
   * (partitions may interleave), tombstones included. Nothing is kept in memory, so a topic of
   * large records can be replayed.
   *
   * @param consumerConfig consumer settings (bootstrap servers and fetch sizes); the group, if any,
   *     is never committed
   * @return the number of records handed over
   * @throws TimeoutException if the topic is not read to its end within {@code timeout}
   */
  public static long toEnd(
      final Map<String, Object> consumerConfig,
      final String topic,
      final Duration timeout,
      final Consumer<ConsumerRecord<byte[], byte[]>> action) {
    final Map<String, Object> config = new HashMap<>(consumerConfig);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    final long deadline = System.nanoTime() + timeout.toNanos();
    long count = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      final List<TopicPartition> parts =
          consumer.partitionsFor(topic, timeout).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      // under read_committed the end offsets are the last stable offsets
      final Map<TopicPartition, Long> end = consumer.endOffsets(parts, timeout);
      while (parts.stream().anyMatch(tp -> consumer.position(tp, timeout) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new TimeoutException(topic + " not read to its end within " + timeout);
        }
        for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
          if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
            action.accept(r);
            count++;
          }
        }
      }
    }
    return count;
  }

  /**
   * The committed record at one offset.
   *
   * @throws IllegalStateException if there is no committed record at that offset (deleted,
   *     compacted away or aborted)
   * @throws TimeoutException if it is not read within {@code timeout}
   */
  public static ConsumerRecord<byte[], byte[]> at(
      final Map<String, Object> consumerConfig,
      final TopicPartition partition,
      final long offset,
      final Duration timeout) {
    final Map<String, Object> config = new HashMap<>(consumerConfig);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      return at(consumer, partition, offset, timeout)
          .orElseThrow(
              () ->
                  new IllegalStateException("no committed record at " + partition + "@" + offset));
    }
  }

  /**
   * The record at one offset, read with a consumer the caller keeps (and configured:
   * read_committed, no group; few records per poll keep the read short).
   *
   * @return the record; empty when the first record at or after the offset is a later one (the
   *     record was deleted, compacted away or aborted)
   * @throws TimeoutException if nothing at or after the offset is read within {@code timeout}
   */
  public static Optional<ConsumerRecord<byte[], byte[]>> at(
      final KafkaConsumer<byte[], byte[]> consumer,
      final TopicPartition partition,
      final long offset,
      final Duration timeout) {
    consumer.assign(List.of(partition));
    consumer.seek(partition, offset);
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
        return r.offset() == offset ? Optional.of(r) : Optional.empty();
      }
      if (consumer.position(partition, timeout) > offset) {
        return Optional.empty(); // only aborted or compacted records there
      }
    }
    throw new TimeoutException(partition + "@" + offset + " not read within " + timeout);
  }
}
