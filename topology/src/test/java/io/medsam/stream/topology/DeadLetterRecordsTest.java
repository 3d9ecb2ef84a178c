package io.medsam.stream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.avro.DeadLetter;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.avro.serde.RecordDecodingException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class DeadLetterRecordsTest {

  private final AvroCodec<DeadLetter> codec = AvroCodec.of(DeadLetter.class);

  @Test
  void consumedRecordBecomesADeadLetterKeyedLikeIt() throws RecordDecodingException {
    final byte[] key = "s/axial/7".getBytes(StandardCharsets.UTF_8);
    final byte[] payload = {1, 2, 3};
    final ConsumerRecord<byte[], byte[]> consumed =
        new ConsumerRecord<>(Topics.SLICES, 2, 41L, key, payload);

    final ProducerRecord<byte[], byte[]> out =
        new DeadLetterRecords("encoder").of(consumed, new IllegalArgumentException("bad shape"));

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
  }

  @Test
  void recordWithoutKeyOrValueKeepsBothNull() throws RecordDecodingException {
    final ConsumerRecord<byte[], byte[]> consumed =
        new ConsumerRecord<>(Topics.SCANS, 0, 5L, null, null);

    final ProducerRecord<byte[], byte[]> out =
        new DeadLetterRecords("ingest").of(consumed, new IllegalStateException("unreadable"));

    assertThat(out.key()).isNull();
    final DeadLetter letter = codec.decode(out.value(), Topics.DEAD_LETTERS, 0, 0L);
    assertThat(letter.getKey()).isNull();
    assertThat(letter.getPayload()).isNull();
    assertThat(letter.getComponent()).isEqualTo("ingest");
  }

  @Test
  void describeNamesTopicPartitionOffsetAndKey() {
    assertThat(
            DeadLetterRecords.describe(
                new ConsumerRecord<>(
                    Topics.SCANS, 1, 9L, "scan-1".getBytes(StandardCharsets.UTF_8), new byte[0])))
        .isEqualTo("medsam.scans.v1-1@9 (key scan-1)");
    assertThat(DeadLetterRecords.describe(new ConsumerRecord<>(Topics.SCANS, 0, 3L, null, null)))
        .isEqualTo("medsam.scans.v1-0@3 (key null)");
  }
}
