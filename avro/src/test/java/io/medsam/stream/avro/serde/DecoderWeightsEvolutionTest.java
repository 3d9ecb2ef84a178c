package io.medsam.stream.avro.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.avro.WeightsVerdict;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/**
 * Records written before the gate's verdicts existed (avro-history/DecoderWeights/1.avsc) are read
 * as published weights: verdict PUBLISHED, no reason, no held-out targets; records written before
 * signatures existed (2.avsc) are read as unsigned.
 */
class DecoderWeightsEvolutionTest {

  @Test
  void versionOneRecordsReadAsPublishedWeights() throws Exception {
    final Schema v1 =
        SchemaHistory.fromClasspath()
            .writerSchemas(DecoderWeights.getClassSchema().getFullName())
            .get(0);
    assertThat(v1.getField("verdict")).isNull();
    final Schema tensorSchema = v1.getField("tensors").schema().getElementType();
    final GenericRecord tensor = new GenericData.Record(tensorSchema);
    tensor.put("name", "mask_decoder.mix.weight");
    tensor.put("shape", List.of(2L));
    tensor.put("dtype", "float32");
    tensor.put("data", ByteBuffer.wrap(new byte[8]));
    final GenericRecord old = new GenericData.Record(v1);
    old.put("modelId", "toy-decoder");
    old.put("version", "ft1-1");
    old.put("parentVersion", "toy-1");
    old.put("tensors", List.of(tensor));
    old.put("holdoutDscBefore", 0.5);
    old.put("holdoutDscAfter", 0.6);
    old.put("trainPairs", 10);
    old.put("holdoutPairs", 3);
    old.put("trainerConfig", Map.of("lr", "3e-4"));
    old.put("rollbackOf", null);
    old.put("createdAt", SampleRecords.AT.toEpochMilli());
    final ByteBuffer payload =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old);

    final DecoderWeights read =
        AvroCodec.of(DecoderWeights.class)
            .decode(payload.array(), "medsam.decoder-weights-history.v1", 0, 0L);

    assertThat(read.getVersion()).isEqualTo("ft1-1");
    assertThat(read.getTensors()).hasSize(1);
    assertThat(read.getVerdict()).isEqualTo(WeightsVerdict.PUBLISHED);
    assertThat(read.getVerdictReason()).isNull();
    assertThat(read.getValidationPairs()).isZero();
    assertThat(read.getExcludedPairs()).isZero();
    assertThat(read.getHeldOutTargets()).isEmpty();
    assertThat(read.getCreatedAt()).isEqualTo(SampleRecords.AT);
  }

  @Test
  void versionTwoRecordsReadAsUnsigned() throws Exception {
    final Schema v2 =
        SchemaHistory.fromClasspath()
            .writerSchemas(DecoderWeights.getClassSchema().getFullName())
            .get(1);
    assertThat(v2.getField("signature")).isNull();
    assertThat(v2.getField("verdict")).isNotNull();
    final GenericRecord old = new GenericData.Record(v2);
    old.put("modelId", "toy-decoder");
    old.put("version", "ft2-1");
    old.put("tensors", List.of());
    old.put("trainerConfig", Map.of());
    old.put("createdAt", SampleRecords.AT.toEpochMilli());
    old.put("verdict", new GenericData.EnumSymbol(v2.getField("verdict").schema(), "REJECTED"));
    old.put("heldOutTargets", List.of());
    for (final String count : List.of("trainPairs", "holdoutPairs", "validationPairs")) {
      old.put(count, 0);
    }
    old.put("excludedPairs", 0);
    final ByteBuffer payload =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v2).encode(old);

    final DecoderWeights read =
        AvroCodec.of(DecoderWeights.class)
            .decode(payload.array(), "medsam.decoder-weights-history.v1", 0, 1L);

    assertThat(read.getVersion()).isEqualTo("ft2-1");
    assertThat(read.getVerdict()).isEqualTo(WeightsVerdict.REJECTED);
    assertThat(read.getSignature()).isNull();
  }
}
