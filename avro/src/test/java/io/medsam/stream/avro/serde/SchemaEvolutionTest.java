package io.medsam.stream.avro.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medsam.stream.avro.ImageSlice;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.junit.jupiter.api.Test;

/**
 * Evolution with a field added with a default: {@code ImageSlice.channels} (default 1) is absent
 * from the "old" writer schema kept in the test history {@code evolution-history}.
 */
class SchemaEvolutionTest {

  private static final SchemaHistory OLD_HISTORY =
      SchemaHistory.fromClasspath(SchemaEvolutionTest.class.getClassLoader(), "evolution-history");

  private static Schema oldSchema() {
    return OLD_HISTORY.writerSchemas(ImageSlice.getClassSchema().getFullName()).get(0);
  }

  private static GenericRecord oldSlice(final Schema old) {
    final ImageSlice current = SampleRecords.slice();
    final GenericRecord record = new GenericData.Record(old);
    for (final Schema.Field field : old.getFields()) {
      final Object value = current.get(field.name());
      record.put(
          field.name(),
          value instanceof java.time.Instant instant ? instant.toEpochMilli() : value);
    }
    return record;
  }

  @Test
  void oldWriterSchemaIsResolvedAndTheNewFieldGetsItsDefault() throws Exception {
    final Schema old = oldSchema();
    assertThat(old.getField("channels")).isNull();
    final GenericRecord written = oldSlice(old);
    final ByteBuffer payload =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), old).encode(written);

    final ImageSlice read =
        AvroCodec.of(ImageSlice.class, OLD_HISTORY)
            .decode(payload.array(), "medsam.slices.v1", 0, 3L);

    assertThat(read.getChannels()).isEqualTo(1);
    assertThat(read.getSliceKey()).isEqualTo(SampleRecords.SLICE_KEY);
    assertThat(read.getPixels()).isEqualTo(SampleRecords.slice().getPixels());
    assertThat(read.getCreatedAt()).isEqualTo(SampleRecords.AT);
  }

  @Test
  void readerWithoutTheOldSchemaRefusesItAsUnknown() throws Exception {
    final Schema old = oldSchema();
    final ByteBuffer payload =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), old).encode(oldSlice(old));
    assertThatThrownBy(() -> AvroCodec.of(ImageSlice.class).decode(payload.array(), "s", 0, 3L))
        .isInstanceOfSatisfying(
            RecordDecodingException.class,
            e -> assertThat(e.problem()).isEqualTo(RecordDecodingException.Problem.UNKNOWN_SCHEMA));
  }

  @Test
  void oldReaderResolvesNewRecordsOnceItKnowsTheNewWriterSchema() throws Exception {
    final Schema old = oldSchema();
    final SchemaStore.Cache store = new SchemaStore.Cache();
    store.addSchema(ImageSlice.getClassSchema());
    final BinaryMessageDecoder<GenericRecord> oldReader =
        new BinaryMessageDecoder<>(GenericData.get(), old, store);

    final byte[] payload = AvroCodec.of(ImageSlice.class).encode(SampleRecords.slice());
    final GenericRecord read = oldReader.decode(payload);

    assertThat(read.getSchema()).isEqualTo(old);
    assertThat(read.get("sliceKey").toString()).isEqualTo(SampleRecords.SLICE_KEY);
    assertThat(read.get("height")).isEqualTo(217);
    assertThat(read.get("createdAt")).isEqualTo(SampleRecords.AT.toEpochMilli());
  }

  @Test
  void historyThatCannotBeResolvedIsRefusedAtStartup() {
    final SchemaHistory incompatible =
        SchemaHistory.fromClasspath(
            SchemaEvolutionTest.class.getClassLoader(), "incompatible-history");
    assertThatThrownBy(() -> AvroCodec.of(ImageSlice.class, incompatible))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("io.medsam.stream.avro.ImageSlice")
        .hasMessageContaining("index");
  }
}
