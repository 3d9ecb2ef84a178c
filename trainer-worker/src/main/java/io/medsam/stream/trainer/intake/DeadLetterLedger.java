package io.medsam.stream.trainer.intake;

import io.medsam.stream.avro.DeadLetter;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.avro.serde.RecordDecodingException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The trainer's own past rejections, read back from the dead-letter topic at start: a replayed
 * correction found here is skipped without a second dead letter, so replay neither trains on a
 * rejected correction nor rejects it twice.
 */
public final class DeadLetterLedger {

  /** The component name the trainer writes into its dead letters. */
  public static final String COMPONENT = "trainer";

  private final Set<String> entries;

  private DeadLetterLedger(final Set<String> entries) {
    this.entries = entries;
  }

  /** An empty ledger. */
  public static DeadLetterLedger empty() {
    return new DeadLetterLedger(new HashSet<>());
  }

  /**
   * Reads every trainer dead letter from the topic, up to its end at the time of the call.
   *
   * @param consumerConfig consumer settings (bootstrap servers and sizes)
   */
  public static DeadLetterLedger read(
      final Map<String, Object> consumerConfig, final String topic, final Duration timeout) {
    final AvroCodec<DeadLetter> codec = AvroCodec.of(DeadLetter.class);
    final Set<String> entries = new HashSet<>();
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
          throw new IllegalStateException("dead-letter topic not read within " + timeout);
        }
        for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          try {
            final DeadLetter dl = codec.decode(r.value(), r.topic(), r.partition(), r.offset());
            if (COMPONENT.equals(dl.getComponent())) {
              entries.add(id(dl.getSourceTopic(), dl.getSourcePartition(), dl.getSourceOffset()));
            }
          } catch (RecordDecodingException e) {
            // not one of ours: another component's problem, nothing to remember
          }
        }
      }
    }
    return new DeadLetterLedger(entries);
  }

  /** True when the trainer has already dead-lettered this source record. */
  public synchronized boolean contains(final String topic, final int partition, final long offset) {
    return entries.contains(id(topic, partition, offset));
  }

  /** Remembers a dead letter sent now. */
  public synchronized void record(final String topic, final int partition, final long offset) {
    entries.add(id(topic, partition, offset));
  }

  private static String id(final String topic, final int partition, final long offset) {
    return topic + ":" + partition + ":" + offset;
  }
}
