package io.medsam.stream.decoder;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import com.fasterxml.jackson.databind.JsonNode;
import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.avro.WeightTensor;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.decoder.session.DecoderOutput;
import io.medsam.stream.decoder.session.DecoderSessions;
import io.medsam.stream.decoder.session.MaskDecoderSession;
import io.medsam.stream.decoder.session.SessionSettings;
import io.medsam.stream.decoder.session.ValidatedWeights;
import io.medsam.stream.decoder.session.WeightsCheck;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.imaging.preprocess.ModelSpace;
import io.medsam.stream.imaging.preprocess.PixelBox;
import io.medsam.stream.records.EmbeddingTensor;
import io.medsam.stream.records.Masks;
import io.medsam.stream.topology.decode.DecodeRequest;
import io.medsam.stream.topology.decode.MaskOutcome;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parity of the Java decoder path with the PyTorch reference, for both committed model families
 * (model/testdata/golden with the tiny random bundle, model/testdata/golden-lite with the
 * LiteMedSAM-family lite random bundle): ONNX Runtime outputs within the goldens' tolerance (1e-4),
 * weights injected through addExternalInitializers reproducing PyTorch's outputs for a second
 * state_dict, and masks under the bundle's mask rule equal RLE for RLE. Sessions use one intra-op
 * thread.
 */
class GoldenParityTest {

  private static final SessionSettings ONE_THREAD = new SessionSettings(1, 1, OptLevel.ALL_OPT);

  /** A golden set and the bundle it was made with. */
  record Case(Golden golden, ModelBundle bundle) {
    @Override
    public String toString() {
      return golden.name();
    }
  }

  static List<Case> cases() throws Exception {
    final List<Case> cases = new ArrayList<>();
    for (final String set : Golden.SETS) {
      final Golden golden = Golden.load(set);
      cases.add(new Case(golden, ModelBundle.read(golden.bundleDir())));
    }
    return cases;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decoderOutputsMatchPyTorch(final Case c) throws Exception {
    final Golden golden = c.golden();
    final ModelBundle bundle = c.bundle();
    final JsonNode d = golden.root().get("decoder");
    try (MaskDecoderSession s = MaskDecoderSession.open(bundle, ONE_THREAD, Optional.empty())) {
      final DecoderOutput out = run(golden, s, d);
      final double logits =
          Golden.maxAbsDiff(out.lowResLogits(), golden.floats(d.get("low_res_logits")));
      final double iou =
          Golden.maxAbsDiff(out.iouPredictions(), golden.floats(d.get("iou_predictions")));
      System.out.printf(
          "decoder (%s): ONNX Runtime (Java) vs PyTorch max abs diff logits %.3g, IoU %.3g%n",
          golden.name(), logits, iou);
      assertThat(logits).isLessThanOrEqualTo(golden.tolerance());
      assertThat(iou).isLessThanOrEqualTo(golden.tolerance());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyInitializerReplacedGivesPyTorchsOutputForTheSecondStateDict(final Case c)
      throws Exception {
    final Golden golden = c.golden();
    final ModelBundle bundle = c.bundle();
    final JsonNode d = golden.root().get("decoder");
    final JsonNode swapped = golden.root().get("decoder_swapped_weights");
    final List<WeightTensor> tensors = new ArrayList<>();
    for (final JsonNode init : swapped.get("initializers")) {
      final float[] values = golden.floats(init);
      final ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      data.asFloatBuffer().put(values);
      final List<Long> shape = new ArrayList<>();
      init.get("shape").forEach(x -> shape.add(x.asLong()));
      tensors.add(WeightsFixtures.tensor(init.get("name").asText(), shape, data));
    }
    assertThat(tensors).hasSize(bundle.decoderInitializers().size());
    final DecoderWeights record = WeightsFixtures.record(bundle.id(), "seed-1", tensors);
    final ValidatedWeights weights = WeightsCheck.validate(record, bundle);
    final float[] bundleLogits;
    try (MaskDecoderSession own = MaskDecoderSession.open(bundle, ONE_THREAD, Optional.empty())) {
      bundleLogits = run(golden, own, d).lowResLogits();
    }
    try (MaskDecoderSession s = MaskDecoderSession.open(bundle, ONE_THREAD, Optional.of(weights))) {
      assertThat(s.weightsVersion()).isEqualTo("seed-1");
      final DecoderOutput out = run(golden, s, d);
      final double logits =
          Golden.maxAbsDiff(out.lowResLogits(), golden.floats(swapped.get("low_res_logits")));
      final double iou =
          Golden.maxAbsDiff(out.iouPredictions(), golden.floats(swapped.get("iou_predictions")));
      System.out.printf(
          "decoder (%s), %d initializers injected: max abs diff logits %.3g, IoU %.3g%n",
          golden.name(), tensors.size(), logits, iou);
      assertThat(logits).isLessThanOrEqualTo(golden.tolerance());
      assertThat(iou).isLessThanOrEqualTo(golden.tolerance());
      // and the injection really changed the model
      assertThat(Golden.maxAbsDiff(out.lowResLogits(), bundleLogits))
          .isGreaterThan(10 * golden.tolerance());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void pyTorchLogitsPostprocessToThePythonMasksRleForRle(final Case c) throws Exception {
    final Golden golden = c.golden();
    final ModelBundle bundle = c.bundle();
    for (final JsonNode m : golden.root().get("masks")) {
      final ModelSpace space = space(bundle, m);
      final float[] lowRes = golden.floats(m.get("low_res_logits"));
      final float[] up = bundle.maskRule().values(lowRes, bundle.lowResSize(), space);
      assertThat(Golden.maxAbsDiff(up, golden.floats(m.get("upsampled_logits"))))
          .isLessThanOrEqualTo(1e-5);
      final BinaryMask mask = bundle.maskRule().toMask(lowRes, bundle.lowResSize(), space);
      assertThat(Masks.toRleMask(mask).getCounts()).isEqualTo(m.get("rle_string").asText());
      assertThat(mask.area()).isEqualTo(m.get("area").asLong());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void boxesMapToTheGoldenModelSpace(final Case c) {
    for (final JsonNode m : c.golden().root().get("masks")) {
      final JsonNode b = m.get("box");
      final float[] mapped =
          space(c.bundle(), m)
              .toModel(
                  new PixelBox(
                      b.get(0).asDouble(),
                      b.get(1).asDouble(),
                      b.get(2).asDouble(),
                      b.get(3).asDouble()))
              .toFloats();
      for (int i = 0; i < 4; i++) {
        assertThat(mapped[i]).isEqualTo((float) m.get("box_model").get(i).asDouble());
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void onnxMasksMatchThePythonMasksOutsideTheAmbiguousBand(final Case c) throws Exception {
    final Golden golden = c.golden();
    final ModelBundle bundle = c.bundle();
    try (MaskDecoderSession s = MaskDecoderSession.open(bundle, ONE_THREAD, Optional.empty())) {
      for (final JsonNode m : golden.root().get("masks")) {
        final float[] box = new float[4];
        for (int i = 0; i < 4; i++) {
          box[i] = (float) m.get("box_model").get(i).asDouble();
        }
        final DecoderOutput out = s.run(golden.floats(m.get("image_embeddings")), box, 1);
        assertThat(Golden.maxAbsDiff(out.lowResLogits(), golden.floats(m.get("low_res_logits"))))
            .isLessThanOrEqualTo(golden.tolerance());
        final BinaryMask mask =
            bundle.maskRule().toMask(out.lowResLogits(), bundle.lowResSize(), space(bundle, m));
        final int differing = differingPixels(golden, m, mask, m.get("ambiguous_logit").asDouble());
        System.out.printf(
            "mask (%s), %s rule: %d pixels outside the ambiguous band differ (at most %d)%n",
            golden.name(),
            bundle.maskRule().manifestName(),
            differing,
            m.get("ambiguous_pixels").asInt());
        assertThat(differing).isLessThanOrEqualTo(m.get("ambiguous_pixels").asInt());
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void fullDecoderPathWithFloat16EmbeddingsAgreesWithThePythonMasks(final Case c) throws Exception {
    final Golden golden = c.golden();
    final ModelBundle bundle = c.bundle();
    try (DecoderSessions sessions =
        new DecoderSessions(MaskDecoderSession.open(bundle, ONE_THREAD, Optional.empty()))) {
      final OnnxMaskDecoder decoder = new OnnxMaskDecoder(bundle, sessions);
      for (final JsonNode m : golden.root().get("masks")) {
        final JsonNode b = m.get("box");
        final SliceEmbedding e =
            float16Embedding(bundle, golden.floats(m.get("image_embeddings")), m);
        final MaskOutcome r =
            decoder
                .decode(
                    List.of(
                        new DecodeRequest(
                            Fixtures.prompt(
                                "golden",
                                "golden/2d/0",
                                (float) b.get(0).asDouble(),
                                (float) b.get(1).asDouble(),
                                (float) b.get(2).asDouble(),
                                (float) b.get(3).asDouble()),
                            e,
                            Instant.now())))
                .get(0);
        assertThat(r).isInstanceOf(MaskOutcome.Decoded.class);
        final BinaryMask mask = ((MaskOutcome.Decoded) r).mask();
        // float16 rounding of the embedding moves logits by ~1e-3 here; no confident pixel may flip
        final int differing = differingPixels(golden, m, mask, 0.02);
        System.out.printf(
            "float16 path (%s), mask area %d vs golden %d, %d confident pixels differ%n",
            golden.name(), mask.area(), m.get("area").asLong(), differing);
        assertThat(differing).isZero();
        assertThat((double) mask.area())
            .isCloseTo(
                m.get("area").asDouble(), org.assertj.core.api.Assertions.withinPercentage(2));
      }
    }
  }

  private static int differingPixels(
      final Golden golden, final JsonNode m, final BinaryMask mask, final double margin)
      throws Exception {
    final float[] up = golden.floats(m.get("upsampled_logits"));
    final byte[] expected = golden.bytes(m.get("mask"));
    int differing = 0;
    for (int i = 0; i < up.length; i++) {
      if (Math.abs(up[i]) > margin && (expected[i] != 0) != mask.pixels()[i]) {
        differing++;
      }
    }
    return differing;
  }

  private static ModelSpace space(final ModelBundle bundle, final JsonNode m) {
    return new ModelSpace(
        m.get("height").asInt(), m.get("width").asInt(), bundle.imageSize(), bundle.resize());
  }

  private static DecoderOutput run(
      final Golden golden, final MaskDecoderSession s, final JsonNode d) throws Exception {
    final float[] boxes = golden.floats(d.get("boxes"));
    return s.run(golden.floats(d.get("image_embeddings")), boxes, boxes.length / 4);
  }

  private static SliceEmbedding float16Embedding(
      final ModelBundle bundle, final float[] values, final JsonNode m) {
    return SliceEmbedding.newBuilder(Fixtures.embedding(bundle, "golden/2d/0", 1, 1, 0))
        .setData(EmbeddingTensor.float16Data(values, 0, values.length))
        .setImageHeight(m.get("height").asInt())
        .setImageWidth(m.get("width").asInt())
        .build();
  }
}
