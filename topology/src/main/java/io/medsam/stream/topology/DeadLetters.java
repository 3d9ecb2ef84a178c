package io.medsam.stream.topology;

import io.medsam.stream.avro.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Builds {@link DeadLetter} records: where the record came from, who gave up on it, why (the whole
 * exception chain, cut to {@value #MAX_REASON_LENGTH} characters) and the payload exactly as
 * received. {@link DeadLetterProducer} logs, counts and sends them.
 */
public final class DeadLetters {

  /** Reasons are cut to this many characters; the payload is kept whole. */
  public static final int MAX_REASON_LENGTH = 8_192;

  private DeadLetters() {}

  /**
   * A dead letter for a record that failed with an exception.
   *
   * @param sourceTopic the topic the record was read from
   * @param partition its partition, -1 when unknown
   * @param offset its offset, -1 when unknown
   * @param key its key, may be null
   * @param component the worker that gave up: ingest, encoder, decoder, trainer
   * @param error why
   * @param payload the value as received, may be null
   */
  public static DeadLetter of(
      final String sourceTopic,
      final int partition,
      final long offset,
      final String key,
      final String component,
      final Throwable error,
      final byte[] payload) {
    Objects.requireNonNull(error, "error");
    return build(
        sourceTopic,
        partition,
        offset,
        key,
        component,
        reason(error),
        error.getClass().getName(),
        payload);
  }

  /**
   * A dead letter for a consumed byte[] record that failed with an exception: its key read as
   * UTF-8, its value kept as received.
   *
   * @param consumed the record
   * @param component the worker that gave up: ingest, encoder, decoder, trainer
   * @param error why
   */
  public static DeadLetter of(
      final ConsumerRecord<byte[], byte[]> consumed,
      final String component,
      final Throwable error) {
    return of(
        consumed.topic(),
        consumed.partition(),
        consumed.offset(),
        consumed.key() == null ? null : new String(consumed.key(), StandardCharsets.UTF_8),
        component,
        error,
        consumed.value());
  }

  /**
   * A dead letter for a record a Kafka Streams processor consumed as String/byte[] and cannot use
   * (the decode and walk topologies), payload as received.
   *
   * @param meta where the record was read
   * @param record the record
   * @param component the processor that gave up
   * @param error why
   */
  public static DeadLetter of(
      final RecordMetadata meta,
      final Record<String, byte[]> record,
      final String component,
      final Throwable error) {
    return of(
        meta.topic(),
        meta.partition(),
        meta.offset(),
        record.key(),
        component,
        error,
        record.value());
  }

  /** A dead letter for a record refused without an exception (e.g. an invalid prompt). */
  public static DeadLetter of(
      final String sourceTopic,
      final int partition,
      final long offset,
      final String key,
      final String component,
      final String reason,
      final byte[] payload) {
    return build(
        sourceTopic,
        partition,
        offset,
        key,
        component,
        truncate(Objects.requireNonNull(reason, "reason")),
        "none",
        payload);
  }

  /**
   * The exception chain as one line: {@code Outer: message; caused by Inner: message; ...}. Cycles
   * are cut and the result is at most {@link #MAX_REASON_LENGTH} characters.
   */
  public static String reason(final Throwable error) {
    final StringBuilder reason = new StringBuilder();
    final Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
      if (t != error) {
        reason.append("; caused by ");
      }
      reason.append(t.getClass().getName());
      if (t.getMessage() != null) {
        reason.append(": ").append(t.getMessage());
      }
    }
    return truncate(reason.toString());
  }

  private static String truncate(final String reason) {
    return reason.length() <= MAX_REASON_LENGTH
        ? reason
        : reason.substring(0, MAX_REASON_LENGTH - 3) + "...";
  }

  private static DeadLetter build(
      final String sourceTopic,
      final int partition,
      final long offset,
      final String key,
      final String component,
      final String reason,
      final String errorClass,
      final byte[] payload) {
    return DeadLetter.newBuilder()
        .setSourceTopic(Objects.requireNonNull(sourceTopic, "sourceTopic"))
        .setSourcePartition(partition)
        .setSourceOffset(offset)
        .setKey(key)
        .setReason(reason)
        .setErrorClass(errorClass)
        .setComponent(Objects.requireNonNull(component, "component"))
        .setPayload(payload == null ? null : ByteBuffer.wrap(payload.clone()))
        .setFailedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
        .build();
  }
}
