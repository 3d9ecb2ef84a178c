package io.medsam.stream.decoder;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import io.medsam.stream.avro.BoxPrompt;
import io.medsam.stream.avro.DeadLetter;
import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.MaskStatus;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.avro.WeightTensor;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.decoder.session.SessionSettings;
import io.medsam.stream.records.weights.WeightsKeys;
import io.medsam.stream.records.weights.WeightsSigner;
import io.medsam.stream.topology.Topics;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A decoder worker that trusts one Ed25519 public key, on a real in-process broker with the real
 * ONNX decoder: signed weights are swapped in; unsigned weights, weights with one tensor byte
 * flipped after signing and weights signed by another key are dead-lettered with the reason, and
 * the weights in force keep serving (masks name their version).
 */
class SignedWeightsTest {

  private static final String SLICE = "signed-series/axial/2";
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final KeyPair TRUSTED = WeightsKeys.generate();
  private static final KeyPair STRANGER = WeightsKeys.generate();

  @TempDir static Path stateDir;

  private static KafkaTestCluster cluster;
  private static ModelBundle bundle;
  private static DecoderWorker worker;
  private static KafkaProducer<String, byte[]> producer;
  private static final List<String> swaps = new CopyOnWriteArrayList<>();
  private final AvroCodec<BoxPrompt> prompts = AvroCodec.of(BoxPrompt.class);
  private final AvroCodec<DecoderWeights> weights = AvroCodec.of(DecoderWeights.class);
  private final WeightsSigner signer = new WeightsSigner(TRUSTED.getPrivate());

  @BeforeAll
  static void start() throws Exception {
    cluster = KafkaTestCluster.start();
    bundle = ModelBundle.read(TestBundles.tinyBundle());
    worker =
        new DecoderWorker(
            DecoderWorkerConfig.defaults(cluster.bootstrapServers(), TestBundles.tinyBundle())
                .withIdentity("signed-weights-test", stateDir)
                .withSession(new SessionSettings(1, 1, OptLevel.ALL_OPT))
                .withWeightsPublicKey(TRUSTED.getPublic()),
            swaps::add);
    worker.start();
    assertThat(worker.awaitRunning(WAIT)).isTrue();
    producer = cluster.producer();
    final SliceEmbedding e = Fixtures.embedding(bundle, SLICE, 96, 80, 5);
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
  void onlyWeightsSignedByTheTrustedKeyAreServed() throws Exception {
    try (TopicReader reader = new TopicReader(cluster.committedConsumer("signed-reader"))) {
      assertThat(decode(reader, "first").getDecoderWeightsVersion()).isEqualTo(bundle.version());

      // refused before any signed version: the bundle's weights stay
      publish(WeightsFixtures.random(bundle, "unsigned", 31));
      publish(flipOneByte(signer.sign(WeightsFixtures.random(bundle, "tampered", 32))));
      publish(
          new WeightsSigner(STRANGER.getPrivate())
              .sign(WeightsFixtures.random(bundle, "stranger", 33)));
      assertThat(reader.pollUntil(r -> r.deadLetters.size() >= 3, WAIT)).isTrue();
      assertThat(reader.deadLetters)
          .extracting(DeadLetter::getReason)
          .satisfiesExactly(
              r -> assertThat(r).contains("unsigned", "not signed"),
              r -> assertThat(r).contains("tampered", "does not verify"),
              r ->
                  assertThat(r)
                      .contains(
                          "stranger",
                          "signed by key " + WeightsKeys.keyId(STRANGER.getPublic()),
                          WeightsKeys.keyId(TRUSTED.getPublic())));
      assertThat(reader.deadLetters)
          .allSatisfy(
              d -> {
                assertThat(d.getSourceTopic()).isEqualTo(Topics.DECODER_WEIGHTS);
                assertThat(d.getComponent()).isEqualTo("decoder");
              });
      assertThat(swaps).isEmpty();
      assertThat(decode(reader, "after-refusals").getDecoderWeightsVersion())
          .isEqualTo(bundle.version());

      // a signed version goes live
      publish(signer.sign(WeightsFixtures.random(bundle, "signed-v2", 34)));
      final long deadline = System.nanoTime() + WAIT.toNanos();
      while (!swaps.contains("signed-v2") && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(swaps).containsExactly("signed-v2");
      assertThat(decode(reader, "after-signed").getDecoderWeightsVersion()).isEqualTo("signed-v2");

      // a tampered copy of a later version is refused and signed-v2 keeps serving
      publish(flipOneByte(signer.sign(WeightsFixtures.random(bundle, "tampered-v3", 35))));
      assertThat(reader.pollUntil(r -> r.deadLetters.size() >= 4, WAIT)).isTrue();
      assertThat(reader.deadLetters.get(3).getReason()).contains("tampered-v3", "does not verify");
      final MaskResult last = decode(reader, "after-tampered");
      assertThat(last.getStatus()).isEqualTo(MaskStatus.OK);
      assertThat(last.getDecoderWeightsVersion()).isEqualTo("signed-v2");
      assertThat(swaps).containsExactly("signed-v2");
      assertThat(reader.results).hasSize(4);
      assertThat(reader.deadLetters).hasSize(4);
    }
  }

  private void publish(final DecoderWeights w) throws Exception {
    producer
        .send(new ProducerRecord<>(Topics.DECODER_WEIGHTS, bundle.id(), weights.encode(w)))
        .get();
  }

  /** The record with one byte of its first tensor's data flipped after signing. */
  private static DecoderWeights flipOneByte(final DecoderWeights signed) {
    final WeightTensor t = signed.getTensors().get(0);
    final ByteBuffer src = t.getData().duplicate();
    final byte[] data = new byte[src.remaining()];
    src.get(data);
    data[data.length / 2] ^= 0x10;
    t.setData(ByteBuffer.wrap(data));
    return signed;
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
