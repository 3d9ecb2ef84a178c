package io.medsam.stream.topology;

import io.medsam.stream.avro.DeadLetter;
import io.medsam.stream.avro.serde.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Dead letters of a worker that consumes and produces raw bytes in its own transactions: a consumed
 * record it gives up on becomes one record for {@link Topics#DEAD_LETTERS}, keyed by the source
 * record's key bytes, holding the {@link DeadLetter} that {@link DeadLetters#of} builds (the key
 * read as UTF-8). Sending it in the transaction that commits the consumed offset, logging and
 * counting stay with the worker.
 */
public final class DeadLetterRecords {

  private final String component;
  private final AvroCodec<DeadLetter> codec = AvroCodec.of(DeadLetter.class);

  /**
   * @param component the worker that gives up on records: ingest, encoder, decoder, trainer
   */
  public DeadLetterRecords(final String component) {
    this.component = Objects.requireNonNull(component, "component");
  }

  /**
   * The dead-letter record for {@code record}.
   *
   * @param record the consumed record, payload kept as received
   * @param reason why the worker gave up on it
   */
  public ProducerRecord<byte[], byte[]> of(
      final ConsumerRecord<byte[], byte[]> record, final Throwable reason) {
    final DeadLetter letter =
        DeadLetters.of(
            record.topic(),
            record.partition(),
            record.offset(),
            key(record),
            component,
            reason,
            record.value());
    return new ProducerRecord<>(Topics.DEAD_LETTERS, record.key(), codec.encode(letter));
  }

  /** {@code topic-partition@offset (key K)}: a consumed record as the workers name it in logs. */
  public static String describe(final ConsumerRecord<byte[], byte[]> record) {
    return record.topic()
        + "-"
        + record.partition()
        + "@"
        + record.offset()
        + " (key "
        + key(record)
        + ")";
  }

  private static String key(final ConsumerRecord<byte[], byte[]> record) {
    return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
  }
}
