package io.medsam.stream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.avro.DeadLetter;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.avro.serde.RecordDecodingException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The records that the dead-letter producer builds for a worker's own transaction; building needs
 * no broker, so the producer points where none listens (KafkaRoundTripIntegrationTest sends).
 */
class DeadLetterProducerTest {

  private final AvroCodec<DeadLetter> codec = AvroCodec.of(DeadLetter.class);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final KafkaProducer<byte[], byte[]> producer =
      new KafkaProducer<>(
          Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1"),
          new ByteArraySerializer(),
          new ByteArraySerializer());

  @AfterEach
  void close() {
    producer.close();
  }

  @Test
  void consumedRecordBecomesACountedDeadLetterKeyedLikeIt() throws RecordDecodingException {
    final byte[] key = "s/axial/7".getBytes(StandardCharsets.UTF_8);
    final byte[] payload = {1, 2, 3};
    final ConsumerRecord<byte[], byte[]> consumed =
        new ConsumerRecord<>(Topics.SLICES, 2, 41L, key, payload);

    final ProducerRecord<byte[], byte[]> out =
        new DeadLetterProducer("encoder", producer, registry)
            .record(consumed, new IllegalArgumentException("bad shape"));

    assertThat(out.topic()).isEqualTo(Topics.DEAD_LETTERS);
    assertThat(out.key()).isEqualTo(key);
    final DeadLetter letter = codec.decode(out.value(), Topics.DEAD_LETTERS, 0, 0L);
    assertThat(letter.getSourceTopic()).isEqualTo(Topics.SLICES);
    assertThat(letter.getSourcePartition()).isEqualTo(2);
    assertThat(letter.getSourceOffset()).isEqualTo(41L);
    assertThat(letter.getKey()).isEqualTo("s/axial/7");
    assertThat(letter.getComponent()).isEqualTo("encoder");
    assertThat(letter.getErrorClass()).isEqualTo(IllegalArgumentException.class.getName());
    assertThat(letter.getReason()).isEqualTo("java.lang.IllegalArgumentException: bad shape");
    assertThat(letter.getPayload()).isEqualTo(ByteBuffer.wrap(payload));
    assertThat(
            registry
                .get(DeadLetterProducer.METRIC)
                .tag("component", "encoder")
                .tag("source_topic", Topics.SLICES)
                .counter()
                .count())
        .isEqualTo(1.0);
  }

  @Test
  void recordWithoutKeyOrValueKeepsBothNull() throws RecordDecodingException {
    final ConsumerRecord<byte[], byte[]> consumed =
        new ConsumerRecord<>(Topics.SCANS, 0, 5L, null, null);

    final ProducerRecord<byte[], byte[]> out =
        new DeadLetterProducer("ingest", producer, registry)
            .record(consumed, new IllegalStateException("unreadable"));

    assertThat(out.key()).isNull();
    final DeadLetter letter = codec.decode(out.value(), Topics.DEAD_LETTERS, 0, 0L);
    assertThat(letter.getKey()).isNull();
    assertThat(letter.getPayload()).isNull();
    assertThat(letter.getComponent()).isEqualTo("ingest");
  }
}
