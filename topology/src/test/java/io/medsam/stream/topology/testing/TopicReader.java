package io.medsam.stream.topology.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a whole topic from the beginning with a throw-away consumer (no group). */
public final class TopicReader {

  private TopicReader() {}

  /**
   * Reads until {@code expected} records arrived, then keeps reading for {@code settle} to catch
   * any extra (duplicate) record; gives up at {@code timeout}.
   */
  public static List<ConsumerRecord<byte[], byte[]>> readAll(
      final String bootstrap,
      final String topic,
      final boolean readCommitted,
      final int expected,
      final Duration settle,
      final Duration timeout) {
    final Map<String, Object> props =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            readCommitted ? "read_committed" : "read_uncommitted",
            ConsumerConfig.CLIENT_ID_CONFIG,
            "test-reader-" + UUID.randomUUID(),
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
      final long deadline = System.nanoTime() + timeout.toNanos();
      long settleUntil = Long.MAX_VALUE;
      while (System.nanoTime() < Math.min(deadline, settleUntil)) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
        if (out.size() >= expected && settleUntil == Long.MAX_VALUE) {
          settleUntil = System.nanoTime() + settle.toNanos();
        }
      }
    }
    return out;
  }
}
