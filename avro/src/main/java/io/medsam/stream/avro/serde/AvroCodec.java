package io.medsam.stream.avro.serde;

import io.medsam.stream.avro.serde.RecordDecodingException.Problem;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Encodes and decodes one record type in Avro single-object encoding: marker {@code C3 01}, the
 * 8-byte little-endian CRC-64-AVRO fingerprint of the writer schema, then the Avro binary body.
 *
 * <p>Encoding uses Avro's {@link BinaryMessageEncoder}, so payloads are byte-for-byte what the
 * generated classes' {@code toByteBuffer()} writes. Decoding looks the fingerprint up among the
 * current schema and every historical writer schema of the type ({@link SchemaHistory}) and
 * resolves the record to the current schema. It parses the header itself and reads the body with a
 * bounds-checked decoder, so that every bad payload ends as a {@link RecordDecodingException} that
 * says what is wrong (Avro's own {@code BinaryMessageDecoder} cannot tell a truncated body from a
 * corrupt one, accepts trailing bytes, and allocates any length a corrupt field announces).
 * Instances are immutable and thread-safe.
 *
 * @param <T> the generated record class
 */
public final class AvroCodec<T extends SpecificRecord> {

  /** Length of the single-object header: 2 marker bytes and an 8-byte fingerprint. */
  public static final int HEADER_LENGTH = 10;

  private static final byte MARKER_0 = (byte) 0xC3;
  private static final byte MARKER_1 = (byte) 0x01;

  private final Schema schema;
  private final BinaryMessageEncoder<T> encoder;
  private final Map<Long, SpecificDatumReader<T>> readersByFingerprint;

  private AvroCodec(final Class<T> type, final SchemaHistory history) {
    final SpecificData model = SpecificData.getForClass(type);
    this.schema = model.getSchema(type);
    this.encoder = new BinaryMessageEncoder<>(model, schema);
    final Map<Long, SpecificDatumReader<T>> readers = new HashMap<>();
    for (final Schema writer : history.writerSchemas(schema.getFullName())) {
      final var compatibility = SchemaCompatibility.checkReaderWriterCompatibility(schema, writer);
      if (compatibility.getType() != SchemaCompatibilityType.COMPATIBLE) {
        throw new IllegalStateException(
            "Historical writer schema of "
                + schema.getFullName()
                + " cannot be read by the current schema: "
                + compatibility.getDescription());
      }
      readers.put(
          ContractCatalog.fingerprint(writer), new SpecificDatumReader<>(writer, schema, model));
    }
    readers.put(
        ContractCatalog.fingerprint(schema), new SpecificDatumReader<>(schema, schema, model));
    this.readersByFingerprint = Map.copyOf(readers);
  }

  /** A codec for the type that resolves every writer schema kept in the module's history. */
  public static <T extends SpecificRecord> AvroCodec<T> of(final Class<T> type) {
    return of(type, SchemaHistory.fromClasspath());
  }

  /**
   * A codec for the type with the given history.
   *
   * @throws IllegalStateException when a historical schema cannot be resolved to the current one
   */
  public static <T extends SpecificRecord> AvroCodec<T> of(
      final Class<T> type, final SchemaHistory history) {
    return new AvroCodec<>(Objects.requireNonNull(type, "type"), history);
  }

  /** The current (reader and writer) schema. */
  public Schema schema() {
    return schema;
  }

  /**
   * Single-object encoding of the record with the current schema.
   *
   * @throws SerializationException when the record does not fit its schema (e.g. a null field)
   */
  public byte[] encode(final T record) {
    Objects.requireNonNull(record, "record");
    try {
      final ByteBuffer buffer = encoder.encode(record);
      final byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("Cannot encode " + schema.getFullName() + ": " + e, e);
    }
  }

  /**
   * Decodes a single-object payload read from the given topic, partition and offset (pass -1 for
   * those not known; they only go into the error).
   *
   * @throws RecordDecodingException when the payload is not a valid record of this type
   */
  public T decode(final byte[] payload, final String topic, final int partition, final long offset)
      throws RecordDecodingException {
    if (payload == null || payload.length == 0) {
      throw failure(
          topic,
          partition,
          offset,
          Problem.EMPTY_PAYLOAD,
          payload == null ? "no payload (null)" : "empty payload (0 bytes)",
          null);
    }
    if (payload.length < HEADER_LENGTH) {
      throw failure(
          topic,
          partition,
          offset,
          Problem.BAD_HEADER,
          "payload of "
              + payload.length
              + " bytes is shorter than the "
              + HEADER_LENGTH
              + "-byte single-object header",
          null);
    }
    if (payload[0] != MARKER_0 || payload[1] != MARKER_1) {
      throw failure(
          topic,
          partition,
          offset,
          Problem.BAD_HEADER,
          String.format(
              "not Avro single-object encoding: starts with 0x%02X 0x%02X, expected 0xC3 0x01",
              payload[0], payload[1]),
          null);
    }
    final long fingerprint =
        ByteBuffer.wrap(payload, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    final SpecificDatumReader<T> reader = readersByFingerprint.get(fingerprint);
    if (reader == null) {
      throw unknownWriter(fingerprint, topic, partition, offset);
    }
    final BoundedBinaryDecoder body =
        new BoundedBinaryDecoder(payload, HEADER_LENGTH, payload.length - HEADER_LENGTH);
    final T record;
    try {
      record = reader.read(null, body);
    } catch (EOFException e) {
      throw failure(
          topic,
          partition,
          offset,
          Problem.TRUNCATED,
          "the " + payload.length + "-byte payload ends before the record does",
          e);
    } catch (IOException | RuntimeException e) {
      throw failure(
          topic,
          partition,
          offset,
          Problem.MALFORMED,
          "the body does not parse with writer schema " + hex(fingerprint),
          e);
    }
    if (body.remaining() > 0) {
      throw failure(
          topic,
          partition,
          offset,
          Problem.TRAILING_BYTES,
          body.remaining() + " bytes left over after a complete record",
          null);
    }
    return record;
  }

  private RecordDecodingException unknownWriter(
      final long fingerprint, final String topic, final int partition, final long offset) {
    final Optional<String> other = ContractCatalog.recordNameFor(fingerprint);
    if (other.isPresent() && !other.get().equals(schema.getFullName())) {
      return failure(
          topic,
          partition,
          offset,
          Problem.WRONG_RECORD_TYPE,
          "the payload is a " + other.get() + " (writer schema " + hex(fingerprint) + ")",
          null);
    }
    return failure(
        topic,
        partition,
        offset,
        Problem.UNKNOWN_SCHEMA,
        "writer schema "
            + hex(fingerprint)
            + " is neither the current nor a historical schema of this type",
        null);
  }

  private RecordDecodingException failure(
      final String topic,
      final int partition,
      final long offset,
      final Problem problem,
      final String detail,
      final Throwable cause) {
    final Throwable root =
        cause instanceof AvroRuntimeException && cause.getCause() != null
            ? cause.getCause()
            : cause;
    return new RecordDecodingException(
        topic, partition, offset, schema.getFullName(), problem, detail, root);
  }

  private static String hex(final long fingerprint) {
    return String.format("0x%016X", fingerprint);
  }
}
