package io.medsam.stream.avro.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medsam.stream.avro.BoxPrompt;
import io.medsam.stream.avro.SliceEmbedding;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

  private final Serde<BoxPrompt> prompts = AvroSerde.of(BoxPrompt.class);

  @Test
  void roundTripsThroughKafkaSerializerAndDeserializer() {
    final byte[] bytes =
        prompts.serializer().serialize("medsam.prompts.v1", SampleRecords.prompt());
    assertThat(prompts.deserializer().deserialize("medsam.prompts.v1", bytes))
        .isEqualTo(SampleRecords.prompt());
  }

  @Test
  void tombstonesStayNull() {
    assertThat(prompts.serializer().serialize("medsam.prompts.v1", null)).isNull();
    assertThat(prompts.deserializer().deserialize("medsam.prompts.v1", null)).isNull();
  }

  @Test
  void badPayloadNamesTheTopicWithUnknownPartitionAndOffset() {
    final byte[] embedding =
        AvroSerde.of(SliceEmbedding.class).serializer().serialize("x", SampleRecords.embedding());
    assertThatThrownBy(() -> prompts.deserializer().deserialize("medsam.prompts.v1", embedding))
        .isInstanceOf(SerializationException.class)
        .isInstanceOfSatisfying(
            RecordDecodingException.class,
            e -> {
              assertThat(e.topic()).isEqualTo("medsam.prompts.v1");
              assertThat(e.partition()).isEqualTo(-1);
              assertThat(e.offset()).isEqualTo(-1L);
            })
        .hasMessageContaining("topic medsam.prompts.v1 partition -1 offset -1")
        .hasMessageContaining("the payload is a io.medsam.stream.avro.SliceEmbedding");
  }

  @Test
  void encodingARecordThatViolatesItsSchemaIsASerializationException() {
    final BoxPrompt incomplete = SampleRecords.prompt();
    incomplete.setSliceKey(null);
    assertThatThrownBy(() -> prompts.serializer().serialize("medsam.prompts.v1", incomplete))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Cannot encode io.medsam.stream.avro.BoxPrompt");
  }
}
