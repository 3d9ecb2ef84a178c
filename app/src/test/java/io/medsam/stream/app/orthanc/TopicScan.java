package io.medsam.stream.app.orthanc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads whole topics with a throw-away consumer (no group). */
final class TopicScan {

  private TopicScan() {}

  /** Every record of {@code topic} up to its end now (read_uncommitted: aborted ones too). */
  static List<ConsumerRecord<byte[], byte[]>> all(
      final String bootstrap, final String topic, final boolean committed) {
    return until(bootstrap, topic, committed, r -> false, Duration.ZERO);
  }

  /**
   * Reads {@code topic} from the beginning until {@code done} holds for what was read (at most
   * {@code timeout}), or, with a zero timeout, to its end now.
   */
  static List<ConsumerRecord<byte[], byte[]>> until(
      final String bootstrap,
      final String topic,
      final boolean committed,
      final Predicate<List<ConsumerRecord<byte[], byte[]>>> done,
      final Duration timeout) {
    final Map<String, Object> props =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            committed ? "read_committed" : "read_uncommitted",
            ConsumerConfig.CLIENT_ID_CONFIG,
            "e2e-reader-" + UUID.randomUUID(),
            ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
            64 << 20,
            ConsumerConfig.FETCH_MAX_BYTES_CONFIG,
            64 << 20);
    final List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      final List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      if (timeout.isZero()) {
        final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
          consumer.poll(Duration.ofMillis(200)).forEach(out::add);
        }
        return out;
      }
      final long deadline = System.nanoTime() + timeout.toNanos();
      while (!done.test(out) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }
}
