package io.medsam.stream.decoder;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import io.medsam.stream.avro.BoxPrompt;
import io.medsam.stream.avro.DeadLetter;
import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.MaskStatus;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.decoder.session.SessionSettings;
import io.medsam.stream.topology.Topics;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A decoder worker on a real in-process broker: weights records that do not fit the bundle are
 * dead-lettered while the current weights stay; a valid record is swapped in without stopping the
 * stream, and later MaskResults name its version.
 */
class WeightsHotSwapTest {

  private static final String SLICE = "hot-swap-series/axial/3";
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path stateDir;

  private static KafkaTestCluster cluster;
  private static ModelBundle bundle;
  private static DecoderWorker worker;
  private static KafkaProducer<String, byte[]> producer;
  private static final List<String> swaps = new CopyOnWriteArrayList<>();
  private final AvroCodec<BoxPrompt> prompts = AvroCodec.of(BoxPrompt.class);
  private final AvroCodec<DecoderWeights> weights = AvroCodec.of(DecoderWeights.class);

  @BeforeAll
  static void start() throws Exception {
    cluster = KafkaTestCluster.start();
    bundle = ModelBundle.read(TestBundles.tinyBundle());
    final DecoderWorkerConfig config =
        DecoderWorkerConfig.defaults(cluster.bootstrapServers(), TestBundles.tinyBundle())
            .withIdentity("hot-swap-test", stateDir)
            .withSession(new SessionSettings(1, 1, OptLevel.ALL_OPT));
    worker = new DecoderWorker(config, swaps::add);
    worker.start();
    assertThat(worker.awaitRunning(WAIT)).isTrue();
    producer = cluster.producer();
    final SliceEmbedding e = Fixtures.embedding(bundle, SLICE, 96, 80, 3);
    producer
        .send(
            new ProducerRecord<>(
                Topics.EMBEDDINGS, SLICE, AvroCodec.of(SliceEmbedding.class).encode(e)))
        .get();
  }

  @AfterAll
  static void stop() throws Exception {
    if (producer != null) {
      producer.close();
    }
    if (worker != null) {
      worker.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void badWeightsAreDeadLetteredAndGoodWeightsAreSwappedInWhileRunning() throws Exception {
    try (TopicReader reader = new TopicReader(cluster.committedConsumer("hot-swap-reader"))) {
      final MaskResult before = decode(reader, "before");
      assertThat(before.getStatus()).isEqualTo(MaskStatus.OK);
      assertThat(before.getDecoderWeightsVersion()).isEqualTo(bundle.version());

      // four records that must not go live: wrong name, wrong shape, corrupt bytes, not Avro
      final List<byte[]> bad = new ArrayList<>();
      final DecoderWeights wrongName = WeightsFixtures.random(bundle, "bad-name", 11);
      wrongName.getTensors().get(0).setName("mask_decoder.not_a_layer.weight");
      bad.add(weights.encode(wrongName));
      final DecoderWeights wrongShape = WeightsFixtures.random(bundle, "bad-shape", 12);
      wrongShape.getTensors().get(1).setShape(List.of(3L, 5L, 7L));
      bad.add(weights.encode(wrongShape));
      final DecoderWeights corrupt = WeightsFixtures.random(bundle, "bad-bytes", 13);
      final ByteBuffer cut = corrupt.getTensors().get(2).getData().duplicate();
      cut.limit(cut.limit() - 5);
      corrupt.getTensors().get(2).setData(cut);
      bad.add(weights.encode(corrupt));
      bad.add(new byte[] {0x0c, 0x01, 0x02});
      for (final byte[] b : bad) {
        producer.send(new ProducerRecord<>(Topics.DECODER_WEIGHTS, bundle.id(), b)).get();
      }
      assertThat(reader.pollUntil(r -> r.deadLetters.size() >= 4, WAIT)).isTrue();
      assertThat(reader.deadLetters)
          .allSatisfy(
              d -> {
                assertThat(d.getSourceTopic()).isEqualTo(Topics.DECODER_WEIGHTS);
                assertThat(d.getComponent()).isEqualTo("decoder");
                assertThat(d.getSourceOffset()).isNotNegative();
                assertThat(d.getPayload()).isNotNull();
              });
      assertThat(reader.deadLetters)
          .extracting(DeadLetter::getReason)
          .satisfiesExactly(
              r -> assertThat(r).contains("mask_decoder.not_a_layer.weight", "not an initializer"),
              r -> assertThat(r).contains("shape [3, 5, 7]"),
              r -> assertThat(r).contains("bytes of data"),
              r -> assertThat(r).isNotBlank());
      assertThat(swaps).isEmpty();
      assertThat(worker.currentWeightsVersion()).isEqualTo(bundle.version());
      assertThat(decode(reader, "after-bad").getDecoderWeightsVersion())
          .isEqualTo(bundle.version());

      producer
          .send(
              new ProducerRecord<>(
                  Topics.DECODER_WEIGHTS,
                  bundle.id(),
                  weights.encode(WeightsFixtures.random(bundle, "v2", 21))))
          .get();
      final long deadline = System.nanoTime() + WAIT.toNanos();
      while (!swaps.contains("v2") && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(swaps).containsExactly("v2");
      final MaskResult after = decode(reader, "after-swap");
      assertThat(after.getStatus()).isEqualTo(MaskStatus.OK);
      assertThat(after.getDecoderWeightsVersion()).isEqualTo("v2");
      assertThat(reader.deadLetters).hasSize(4);
      assertThat(reader.results).hasSize(3);
    }
  }

  private MaskResult decode(final TopicReader reader, final String promptId) throws Exception {
    producer
        .send(
            new ProducerRecord<>(
                Topics.PROMPTS,
                SLICE,
                prompts.encode(Fixtures.prompt(promptId, SLICE, 10, 12, 60, 70))))
        .get();
    assertThat(reader.pollUntil(r -> r.result(promptId) != null, WAIT))
        .as("result for " + promptId)
        .isTrue();
    return reader.result(promptId);
  }
}
