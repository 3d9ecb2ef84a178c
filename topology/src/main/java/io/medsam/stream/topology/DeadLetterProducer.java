package io.medsam.stream.topology;

import io.medsam.stream.avro.DeadLetter;
import io.medsam.stream.avro.serde.AvroCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every worker's dead letters leave it: each {@link DeadLetter} (built by {@link DeadLetters})
 * is logged (topic, partition, offset, key, reason), counted in {@value #METRIC} tagged with
 * component and source topic, and produced to {@link Topics#DEAD_LETTERS} through a producer the
 * worker owns. A transactional producer puts it in the transaction that commits the consumed
 * offset, so a failed record is dead-lettered exactly once; it is counted when sent, so a
 * transaction aborted and retried counts its dead letters again.
 *
 * <p>A consumed byte[] record is keyed by its key bytes as received; a {@link DeadLetter} sent on
 * its own by its key as UTF-8, as a String-keyed producer would.
 */
public final class DeadLetterProducer {

  /** Name of the counter of dead letters sent. */
  public static final String METRIC = "medsam.dead.letters";

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProducer.class);

  private final String component;
  private final Producer<byte[], byte[]> producer;
  private final MeterRegistry registry;
  private final AvroCodec<DeadLetter> codec = AvroCodec.of(DeadLetter.class);

  /**
   * @param component the worker whose dead letters these are: ingest, encoder, decoder, trainer
   * @param producer sends them; stays the caller's to close
   * @param registry where {@value #METRIC} is counted
   */
  public DeadLetterProducer(
      final String component,
      final Producer<byte[], byte[]> producer,
      final MeterRegistry registry) {
    this.component = Objects.requireNonNull(component, "component");
    this.producer = Objects.requireNonNull(producer, "producer");
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /**
   * Logs and counts the dead letter for a consumed record, for the caller to send in its own
   * transaction (e.g. among a batch's output records).
   *
   * @param consumed the record given up on, payload kept as received
   * @param reason why
   * @return the record for {@link Topics#DEAD_LETTERS}, keyed like {@code consumed}
   */
  public ProducerRecord<byte[], byte[]> record(
      final ConsumerRecord<byte[], byte[]> consumed, final Throwable reason) {
    return record(consumed.key(), DeadLetters.of(consumed, component, reason));
  }

  /** Logs, counts and sends the dead letter for a consumed record, keyed like it. */
  public Future<RecordMetadata> send(
      final ConsumerRecord<byte[], byte[]> consumed, final Throwable reason) {
    return producer.send(record(consumed, reason));
  }

  /** Logs, counts and sends {@code letter}, keyed by its key as UTF-8. */
  public Future<RecordMetadata> send(final DeadLetter letter) {
    final String key = letter.getKey();
    return producer.send(record(key == null ? null : key.getBytes(StandardCharsets.UTF_8), letter));
  }

  /** Blocks until every dead letter sent so far is acknowledged. */
  public void flush() {
    producer.flush();
  }

  private ProducerRecord<byte[], byte[]> record(final byte[] key, final DeadLetter letter) {
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
    return new ProducerRecord<>(Topics.DEAD_LETTERS, key, codec.encode(letter));
  }
}
