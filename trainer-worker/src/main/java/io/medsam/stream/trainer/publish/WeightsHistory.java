package io.medsam.stream.trainer.publish;

import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.avro.serde.RecordDecodingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every DecoderWeights record of one decoder model on the weights topic, oldest first (they
 * share the key, hence one partition and its offset order). The topic is compacted, so only
 * records the log cleaner has not yet removed are there; see trainer-worker/README.md.
 */
public final class WeightsHistory {

  private static final Logger LOG = LoggerFactory.getLogger(WeightsHistory.class);

  private final List<DecoderWeights> records;

  private WeightsHistory(final List<DecoderWeights> records) {
    this.records = List.copyOf(records);
  }

  /**
   * Reads the topic from the beginning to its current end.
   *
   * @param consumerConfig consumer settings with bootstrap servers (no group needed)
   */
  public static WeightsHistory read(
      final Map<String, Object> consumerConfig, final String topic, final String modelId,
      final Duration timeout) {
    return new WeightsHistory(readAll(consumerConfig, topic, timeout).stream()
        .filter(w -> w.getModelId().equals(modelId)).toList());
  }

  /** Every record of every model on the topic, in partition and offset order. */
  public static List<DecoderWeights> readAll(
      final Map<String, Object> consumerConfig, final String topic, final Duration timeout) {
    final AvroCodec<DecoderWeights> codec = AvroCodec.of(DecoderWeights.class);
    final List<ConsumerRecord<byte[], byte[]>> raw = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      final List<TopicPartition> parts =
          consumer.partitionsFor(topic, timeout).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      final Map<TopicPartition, Long> end = consumer.endOffsets(parts, timeout);
      final long deadline = System.nanoTime() + timeout.toNanos();
      while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("weights topic not read within " + timeout);
        }
        consumer.poll(Duration.ofMillis(200)).forEach(raw::add);
      }
    }
    raw.sort(Comparator.<ConsumerRecord<byte[], byte[]>>comparingInt(ConsumerRecord::partition)
        .thenComparingLong(ConsumerRecord::offset));
    final List<DecoderWeights> out = new ArrayList<>();
    for (final ConsumerRecord<byte[], byte[]> r : raw) {
      if (r.value() == null) {
        continue;
      }
      try {
        out.add(codec.decode(r.value(), r.topic(), r.partition(), r.offset()));
      } catch (RecordDecodingException e) {
        LOG.warn("skipping undecodable weights record {}-{}@{}", r.topic(), r.partition(), r.offset());
      }
    }
    return out;
  }

  /** All records, oldest first. */
  public List<DecoderWeights> records() {
    return records;
  }

  /** The record now in force (the last one). */
  public Optional<DecoderWeights> current() {
    return records.isEmpty() ? Optional.empty() : Optional.of(records.get(records.size() - 1));
  }

  /** The most recent record that published {@code version} (trained or re-published). */
  public Optional<DecoderWeights> find(final String version) {
    for (int i = records.size() - 1; i >= 0; i--) {
      if (records.get(i).getVersion().equals(version)) {
        return Optional.of(records.get(i));
      }
    }
    return Optional.empty();
  }

  /** Number of versions the trainer has trained (re-publications not counted). */
  public int trainedVersions() {
    return (int) records.stream().filter(r -> r.getRollbackOf() == null).count();
  }
}
