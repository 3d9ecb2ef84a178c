package io.medsam.stream.avro.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka {@link Serde} for one record type in Avro single-object encoding (see {@link AvroCodec}). A
 * null value (a tombstone) maps to null both ways. The deserializer throws {@link
 * RecordDecodingException} with partition and offset -1, because Kafka's deserializer API does not
 * pass them; the consumer or Streams error handler adds them.
 *
 * @param <T> the generated record class
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

  private final AvroCodec<T> codec;

  private AvroSerde(final AvroCodec<T> codec) {
    this.codec = codec;
  }

  /** A serde for the type, resolving every writer schema kept in the module's history. */
  public static <T extends SpecificRecord> AvroSerde<T> of(final Class<T> type) {
    return new AvroSerde<>(AvroCodec.of(type));
  }

  /** A serde over the given codec. */
  public static <T extends SpecificRecord> AvroSerde<T> of(final AvroCodec<T> codec) {
    return new AvroSerde<>(codec);
  }

  /** The codec behind this serde. */
  public AvroCodec<T> codec() {
    return codec;
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, record) -> record == null ? null : codec.encode(record);
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, payload) -> payload == null ? null : codec.decode(payload, topic, -1, -1L);
  }
}
