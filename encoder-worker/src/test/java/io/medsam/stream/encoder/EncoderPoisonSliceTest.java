package io.medsam.stream.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.avro.DeadLetter;
import io.medsam.stream.avro.ImageSlice;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.topology.Topics;
import io.medsam.stream.topology.testing.InProcessKafkaExtension;
import io.medsam.stream.topology.testing.TopicReader;
import io.medsam.stream.topology.worker.WorkerState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Never a poison pill in the encoder, on an in-process broker with the lite random bundle (its
 * longest-side resize): in one batch, a slice past the H×W limit and a 1×600 slice (whose model
 * content would be 0 rows high, so building its model input fails at encode time) each give one
 * dead letter, the other slices of the batch are encoded, and the worker keeps running.
 */
class EncoderPoisonSliceTest {

  @RegisterExtension static final InProcessKafkaExtension kafka = new InProcessKafkaExtension();

  @Test
  void badSlicesInABatchAreDeadLettersAndTheRestEncode() throws Exception {
    final Path bundleDir = Golden.repoRoot().resolve("model/testdata/lite-random-bundle");
    final ModelBundle bundle = ModelBundle.read(bundleDir);
    try (KafkaProducer<byte[], byte[]> raw =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", kafka.bootstrapServers(), "max.request.size", 1 << 24),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (int i = 0; i < 3; i++) {
        send(raw, slice("good/axial/" + i, 40, 48));
      }
      send(raw, slice("wide/axial/0", 120, 120)); // 14400 pixels > 10000
      send(raw, slice("thin/axial/0", 1, 600));
      for (int i = 3; i < 6; i++) {
        send(raw, slice("good/axial/" + i, 40, 48));
      }
    }
    try (ImageEncoderSession session =
            ImageEncoderSession.open(bundle, EncoderSessionOptions.cpu(1));
        EncoderWorker encoder =
            new EncoderWorker(
                EncoderWorkerConfig.of(kafka.bootstrapServers(), "encoder-poison")
                    .withBatching(8, Duration.ofMillis(500))
                    .withMaxSlicePixels(10_000),
                session,
                new SimpleMeterRegistry())) {
      encoder.start();
      final AvroCodec<SliceEmbedding> codec = AvroCodec.of(SliceEmbedding.class);
      final List<String> embedded =
          TopicReader.readAll(
                  kafka.bootstrapServers(),
                  Topics.EMBEDDINGS,
                  true,
                  6,
                  Duration.ofSeconds(3),
                  Duration.ofSeconds(120))
              .stream()
              .map(r -> codec.decode(r.value(), r.topic(), r.partition(), r.offset()))
              .map(SliceEmbedding::getSliceKey)
              .toList();
      final AvroCodec<DeadLetter> deadCodec = AvroCodec.of(DeadLetter.class);
      final Map<String, String> reasons =
          TopicReader.readAll(
                  kafka.bootstrapServers(),
                  Topics.DEAD_LETTERS,
                  true,
                  2,
                  Duration.ofSeconds(2),
                  Duration.ofSeconds(60))
              .stream()
              .map(r -> deadCodec.decode(r.value(), r.topic(), r.partition(), r.offset()))
              .collect(Collectors.toMap(DeadLetter::getKey, DeadLetter::getReason));
      System.out.println("encoder dead letters: " + reasons);

      assertThat(embedded)
          .containsExactlyInAnyOrder(
              "good/axial/0",
              "good/axial/1",
              "good/axial/2",
              "good/axial/3",
              "good/axial/4",
              "good/axial/5");
      assertThat(reasons).containsOnlyKeys("wide/axial/0", "thin/axial/0");
      assertThat(reasons.get("wide/axial/0"))
          .contains("120x120 = 14400 pixels, more than the encoder's limit of 10000");
      assertThat(encoder.state()).isEqualTo(WorkerState.RUNNING);
      assertThat(encoder.failure()).isEmpty();
    }
  }

  private static void send(final KafkaProducer<byte[], byte[]> producer, final ImageSlice slice)
      throws Exception {
    producer
        .send(
            new ProducerRecord<>(
                Topics.SLICES,
                slice.getSliceKey().getBytes(StandardCharsets.UTF_8),
                AvroCodec.of(ImageSlice.class).encode(slice)))
        .get();
  }

  private static ImageSlice slice(final String key, final int height, final int width) {
    final byte[] pixels = new byte[height * width];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 31);
    }
    final String[] parts = key.split("/");
    return ImageSlice.newBuilder()
        .setSliceKey(key)
        .setSeriesUid(parts[0])
        .setAxis(parts[1])
        .setIndex(Integer.parseInt(parts[2]))
        .setHeight(height)
        .setWidth(width)
        .setChannels(1)
        .setPixels(ByteBuffer.wrap(pixels))
        .setPixelSpacingRow(1)
        .setPixelSpacingCol(1)
        .setSlicePosition(0)
        .setModality("MR")
        .setSourceUri("scan:test")
        .setScanId("test")
        .setCreatedAt(Instant.now())
        .build();
  }
}
