package io.medsam.stream.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.records.EmbeddingTensor;
import io.medsam.stream.records.Float16;
import io.medsam.stream.records.InvalidEmbeddingException;
import io.medsam.stream.trainer.intake.TrainingPair;
import io.medsam.stream.trainer.train.DecoderFineTuner;
import io.medsam.stream.trainer.train.HoldoutEvaluator;
import io.medsam.stream.trainer.train.TrainingSettings;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The model helper's SAM-architecture test bundle (model/testdata/tiny-random-bundle) through the
 * trainer: its TorchScript loads with DJL, the trainable parameters are exactly the manifest's
 * mask_decoder.* initializers, and fine-tuning moves those and nothing else.
 */
class TinyRandomBundleTest {

  private static final Path BUNDLE =
      Path.of(System.getProperty("medsam.repo.root", ".."))
          .resolve("model/testdata/tiny-random-bundle");

  @Test
  void trainsOnlyTheMaskDecoderOfTheSamArchitecture() throws Exception {
    final ModelBundle bundle = ModelBundle.readForTraining(BUNDLE);
    final JsonNode manifest = new ObjectMapper().readTree(BUNDLE.resolve("manifest.json").toFile());
    final Set<String> expected = new TreeSet<>();
    manifest
        .get("decoder_initializers")
        .forEach(
            n -> {
              if (n.get("name").asText().startsWith("mask_decoder.")) {
                expected.add(n.get("name").asText());
              }
            });
    try (TrainableDecoder decoder = TrainableDecoder.load(bundle)) {
      assertThat(new TreeSet<>(decoder.trainableParameters().keySet())).isEqualTo(expected);
      // what the decoder-worker checks a weights record against: same names and shapes
      manifest
          .get("decoder_initializers")
          .forEach(
              n -> {
                final String name = n.get("name").asText();
                if (name.startsWith("mask_decoder.")) {
                  final long[] shape = new long[n.get("shape").size()];
                  for (int i = 0; i < shape.length; i++) {
                    shape[i] = n.get("shape").get(i).asLong();
                  }
                  assertThat(decoder.trainableShapes().get(name)).as(name).isEqualTo(shape);
                }
              });
      assertThat(decoder.frozenParameterNames())
          .isNotEmpty()
          .allMatch(n -> n.startsWith("prompt_encoder."));
      final Map<String, float[]> before = decoder.trainableWeights();
      final List<TrainingPair> pairs = randomPairs(bundle, 6);
      final double dscBefore = new HoldoutEvaluator(4).meanDice(decoder, pairs);
      final DecoderFineTuner.Outcome out =
          new DecoderFineTuner(new TrainingSettings(1e-3f, 4, 3, 20, 5L)).train(decoder, pairs);
      assertThat(out.steps()).isEqualTo(4);
      assertThat(Double.isFinite(out.lastLoss())).isTrue();
      final Map<String, float[]> after = decoder.trainableWeights();
      final long moved =
          before.keySet().stream()
              .filter(k -> !java.util.Arrays.equals(before.get(k), after.get(k)))
              .count();
      assertThat(moved).isGreaterThan(expected.size() / 2);
      assertThat(dscBefore).isBetween(0.0, 1.0);
    }
  }

  private static List<TrainingPair> randomPairs(final ModelBundle bundle, final int n)
      throws InvalidEmbeddingException {
    final int[] s = bundle.embeddingShapeArray();
    final Random r = new Random(11);
    final List<TrainingPair> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      final ByteBuffer data =
          ByteBuffer.allocate(s[0] * s[1] * s[2] * 2).order(ByteOrder.LITTLE_ENDIAN);
      while (data.hasRemaining()) {
        data.putShort(Float16.fromFloat((float) r.nextGaussian()));
      }
      data.flip();
      final SliceEmbedding e =
          SliceEmbedding.newBuilder()
              .setSliceKey("s/axial/" + i)
              .setSeriesUid("s")
              .setEncoderModelId("x")
              .setShape(List.of(s[0], s[1], s[2]))
              .setDtype("float16")
              .setData(data)
              .setImageHeight(60)
              .setImageWidth(50)
              .setPixelSpacingRow(1)
              .setPixelSpacingCol(1)
              .setEncodeMillis(0)
              .setEncodedAt(Instant.EPOCH)
              .build();
      final boolean[] px = new boolean[60 * 50];
      for (int y = 10 + i; y < 30 + i; y++) {
        for (int x = 12; x < 35; x++) {
          px[y * 50 + x] = true;
        }
      }
      final BinaryMask m = new BinaryMask(px, 60, 50);
      out.add(
          new TrainingPair(
              "p" + i,
              "s/axial/" + i,
              "box",
              EmbeddingTensor.of(e),
              m,
              m.boundingBox().orElseThrow(),
              0,
              i));
    }
    return out;
  }
}
