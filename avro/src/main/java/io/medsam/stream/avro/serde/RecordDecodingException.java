package io.medsam.stream.avro.serde;

import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A payload that is not a valid single-object-encoded record of the expected type. The message
 * names the topic, partition, offset (-1 when unknown, e.g. through the {@code Serde} path), the
 * expected record type and the problem, so that the record can be dead-lettered as is.
 */
public final class RecordDecodingException extends SerializationException {

  private static final long serialVersionUID = 1L;

  /** What was wrong with the payload. */
  public enum Problem {
    /** Null or zero-length payload. */
    EMPTY_PAYLOAD,
    /** Shorter than the 10-byte header, or not starting with the marker {@code C3 01}. */
    BAD_HEADER,
    /** A valid single-object payload of another record type of this project. */
    WRONG_RECORD_TYPE,
    /** A schema fingerprint that is neither the current nor a historical writer schema. */
    UNKNOWN_SCHEMA,
    /** The body ends before the record does. */
    TRUNCATED,
    /** The body does not parse against the writer schema (bad length, enum index, union...). */
    MALFORMED,
    /** Bytes left over after a complete record. */
    TRAILING_BYTES
  }

  private final String topic;
  private final int partition;
  private final long offset;
  private final String expectedType;
  private final Problem problem;

  /**
   * @param topic source topic, or null when unknown
   * @param partition source partition, -1 when unknown
   * @param offset source offset, -1 when unknown
   * @param expectedType full name of the record type the reader expected
   * @param problem the kind of problem
   * @param detail a human-readable description of the problem
   * @param cause the underlying exception, or null
   */
  public RecordDecodingException(
      final String topic,
      final int partition,
      final long offset,
      final String expectedType,
      final Problem problem,
      final String detail,
      final Throwable cause) {
    super(message(topic, partition, offset, expectedType, problem, detail, cause), cause);
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.expectedType = Objects.requireNonNull(expectedType, "expectedType");
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  private static String message(
      final String topic,
      final int partition,
      final long offset,
      final String expectedType,
      final Problem problem,
      final String detail,
      final Throwable cause) {
    final StringBuilder text =
        new StringBuilder()
            .append("Cannot decode ")
            .append(expectedType)
            .append(" from topic ")
            .append(topic == null ? "<unknown>" : topic)
            .append(" partition ")
            .append(partition)
            .append(" offset ")
            .append(offset)
            .append(": ")
            .append(problem)
            .append(": ")
            .append(detail);
    if (cause != null) {
      text.append(" (cause: ").append(cause.getClass().getName());
      if (cause.getMessage() != null) {
        text.append(": ").append(cause.getMessage());
      }
      text.append(')');
    }
    return text.toString();
  }

  /** The source topic, or null when unknown. */
  public String topic() {
    return topic;
  }

  /** The source partition, -1 when unknown. */
  public int partition() {
    return partition;
  }

  /** The source offset, -1 when unknown. */
  public long offset() {
    return offset;
  }

  /** Full name of the record type the reader expected. */
  public String expectedType() {
    return expectedType;
  }

  /** The kind of problem. */
  public Problem problem() {
    return problem;
  }
}
