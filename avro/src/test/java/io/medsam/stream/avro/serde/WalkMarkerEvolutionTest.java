package io.medsam.stream.avro.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.avro.BoxPrompt;
import io.medsam.stream.avro.MaskResult;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * The walk marker ({@code walkId}, optional, default null) added to BoxPrompt and MaskResult for 3D
 * walks is a compatible evolution in both directions, checked against the shipped history: records
 * of version 1 producers read as "not a walk step", and version 1 readers that learn the new writer
 * schema read walk steps as plain 2D records.
 */
class WalkMarkerEvolutionTest {

  private static Schema version1(final Schema current) {
    return SchemaHistory.fromClasspath().writerSchemas(current.getFullName()).get(0);
  }

  private static GenericRecord asVersion1(final SpecificRecord current, final Schema old) {
    final GenericRecord record = new GenericData.Record(old);
    for (final Schema.Field field : old.getFields()) {
      final Object value = current.get(current.getSchema().getField(field.name()).pos());
      record.put(
          field.name(),
          value instanceof java.time.Instant instant ? instant.toEpochMilli() : value);
    }
    return record;
  }

  private static byte[] encodeVersion1(final SpecificRecord current) throws java.io.IOException {
    final Schema old = version1(current.getSchema());
    assertThat(old.getField("walkId")).isNull();
    final ByteBuffer payload =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), old)
            .encode(asVersion1(current, old));
    final byte[] bytes = new byte[payload.remaining()];
    payload.get(bytes);
    return bytes;
  }

  @Test
  void version1PromptsAndResultsAreNotWalkSteps() throws Exception {
    final BoxPrompt prompt =
        AvroCodec.of(BoxPrompt.class)
            .decode(encodeVersion1(SampleRecords.prompt()), "medsam.prompts.v1", 0, 1L);
    assertThat(prompt.getWalkId()).isNull();
    assertThat(prompt.getBox()).isEqualTo(SampleRecords.prompt().getBox());

    final MaskResult result =
        AvroCodec.of(MaskResult.class)
            .decode(encodeVersion1(SampleRecords.mask()), "medsam.masks.v1", 0, 1L);
    assertThat(result.getWalkId()).isNull();
    assertThat(result.getMask()).isEqualTo(SampleRecords.mask().getMask());
  }

  @Test
  void version1ReaderReadsAWalkStepAsAPlainResult() throws Exception {
    final MaskResult step = MaskResult.newBuilder(SampleRecords.mask()).setWalkId("vp-1").build();
    final Schema old = version1(MaskResult.getClassSchema());
    final SchemaStore.Cache store = new SchemaStore.Cache();
    store.addSchema(MaskResult.getClassSchema());
    final GenericRecord read =
        new BinaryMessageDecoder<GenericRecord>(GenericData.get(), old, store)
            .decode(AvroCodec.of(MaskResult.class).encode(step));
    assertThat(read.getSchema()).isEqualTo(old);
    assertThat(read.get("promptId").toString()).isEqualTo(step.getPromptId());
    assertThat(read.get("area")).isEqualTo(step.getArea());
  }
}
