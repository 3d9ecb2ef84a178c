package io.medsam.stream.topology;

import io.medsam.stream.avro.DeadLetter;
import io.medsam.stream.avro.serde.AvroCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.Objects;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends dead letters to {@link Topics#DEAD_LETTERS}, keyed by the source record's key, through a
 * producer the caller owns: a transactional producer puts the dead letter in the same transaction
 * as the consumed offsets, so that a failed record is dead-lettered exactly once. Each one is
 * logged (topic, partition, offset, reason) and counted in {@value #METRIC}, tagged with component
 * and source topic.
 */
public final class DeadLetterProducer {

  /** Name of the counter of dead letters sent. */
  public static final String METRIC = "medsam.dead.letters";

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProducer.class);

  private final Producer<String, byte[]> producer;
  private final MeterRegistry registry;
  private final AvroCodec<DeadLetter> codec = AvroCodec.of(DeadLetter.class);

  /** Sends through the producer and counts in Micrometer's global registry. */
  public DeadLetterProducer(final Producer<String, byte[]> producer) {
    this(producer, Metrics.globalRegistry);
  }

  /** Sends through the producer and counts in the given registry. */
  public DeadLetterProducer(final Producer<String, byte[]> producer, final MeterRegistry registry) {
    this.producer = Objects.requireNonNull(producer, "producer");
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /** The record that {@link #send} produces. */
  public ProducerRecord<String, byte[]> toRecord(final DeadLetter letter) {
    return new ProducerRecord<>(Topics.DEAD_LETTERS, letter.getKey(), codec.encode(letter));
  }

  /** Logs, counts and sends the dead letter; the future completes when the broker has it. */
  public Future<RecordMetadata> send(final DeadLetter letter) {
    LOG.warn(
        "Dead letter from {} partition {} offset {} key {} ({}): {}",
        letter.getSourceTopic(),
        letter.getSourcePartition(),
        letter.getSourceOffset(),
        letter.getKey(),
        letter.getComponent(),
        letter.getReason());
    Counter.builder(METRIC)
        .description("Records sent to " + Topics.DEAD_LETTERS)
        .tag("component", letter.getComponent())
        .tag("source_topic", letter.getSourceTopic())
        .register(registry)
        .increment();
    return producer.send(toRecord(letter));
  }
}
