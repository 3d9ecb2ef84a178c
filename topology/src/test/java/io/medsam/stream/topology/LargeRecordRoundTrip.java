package io.medsam.stream.topology;

import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.avro.serde.AvroCodec;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Produces one SliceEmbedding with a 4 MiB incompressible body to {@link Topics#EMBEDDINGS} with
 * {@link ClientConfigs#producer} and reads it back with {@link ClientConfigs#consumer}. Shared by
 * the embedded-broker and the Testcontainers tests.
 */
final class LargeRecordRoundTrip {

  static final int PAYLOAD_BYTES = 4 * 1024 * 1024;
  private static final AvroCodec<SliceEmbedding> CODEC = AvroCodec.of(SliceEmbedding.class);

  private LargeRecordRoundTrip() {}

  /** A SliceEmbedding whose data are 4 MiB of random (so incompressible) bytes. */
  static SliceEmbedding largeEmbedding(final String sliceKey) {
    final byte[] data = new byte[PAYLOAD_BYTES];
    new Random(42).nextBytes(data);
    return SliceEmbedding.newBuilder()
        .setSliceKey(sliceKey)
        .setSeriesUid(sliceKey.substring(0, sliceKey.indexOf('/')))
        .setEncoderModelId("test-encoder")
        .setShape(List.of(512, 64, 64))
        .setDtype("float16")
        .setData(ByteBuffer.wrap(data))
        .setImageHeight(1024)
        .setImageWidth(1024)
        .setPixelSpacingRow(0.8)
        .setPixelSpacingCol(0.8)
        .setEncodeMillis(1.0)
        .setEncodedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
        .build();
  }

  /** Sends the record and returns where it landed. */
  static RecordMetadata produce(final String bootstrap, final SliceEmbedding embedding)
      throws Exception {
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(new HashMap<>(ClientConfigs.producer(bootstrap)))) {
      return producer
          .send(
              new ProducerRecord<>(
                  Topics.EMBEDDINGS, embedding.getSliceKey(), CODEC.encode(embedding)))
          .get();
    }
  }

  /** Reads the embeddings topic from the start until a record with this key arrives. */
  static SliceEmbedding consume(final String bootstrap, final String sliceKey) {
    final Map<String, Object> config =
        new HashMap<>(ClientConfigs.consumer(bootstrap, "round-trip-" + UUID.randomUUID()));
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of(Topics.EMBEDDINGS));
      final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      final List<String> seen = new ArrayList<>();
      while (System.nanoTime() < deadline) {
        for (final ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (sliceKey.equals(record.key())) {
            return CODEC.decode(
                record.value(), record.topic(), record.partition(), record.offset());
          }
          seen.add(record.key());
        }
      }
      throw new AssertionError("No record with key " + sliceKey + " within 60 s; saw " + seen);
    }
  }
}
