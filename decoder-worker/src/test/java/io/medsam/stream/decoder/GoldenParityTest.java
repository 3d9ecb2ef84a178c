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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Parity of the Java decoder path with the PyTorch reference (model/testdata/golden): ONNX Runtime
 * outputs within the goldens' tolerance (1e-4), weights injected through addExternalInitializers
 * reproducing PyTorch's outputs for a second state_dict, and masks equal RLE for RLE. Sessions use
 * one intra-op thread.
 */
class GoldenParityTest {

  private static final SessionSettings ONE_THREAD = new SessionSettings(1, 1, OptLevel.ALL_OPT);
  private static Golden golden;
  private static ModelBundle bundle;

  @BeforeAll
  static void load() throws Exception {
    golden = Golden.load();
    bundle = ModelBundle.read(golden.bundleDir());
  }

  @Test
  void decoderOutputsMatchPyTorch() throws Exception {
    final JsonNode d = golden.root().get("decoder");
    try (MaskDecoderSession s = MaskDecoderSession.open(bundle, ONE_THREAD, Optional.empty())) {
      final DecoderOutput out = run(s, d);
      assertThat(Golden.maxAbsDiff(out.lowResLogits(), golden.floats(d.get("low_res_logits"))))
          .isLessThanOrEqualTo(golden.tolerance());
      assertThat(Golden.maxAbsDiff(out.iouPredictions(), golden.floats(d.get("iou_predictions"))))
          .isLessThanOrEqualTo(golden.tolerance());
    }
  }

  @Test
  void everyInitializerReplacedGivesPyTorchsOutputForTheSecondStateDict() throws Exception {
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
      bundleLogits = run(own, d).lowResLogits();
    }
    try (MaskDecoderSession s = MaskDecoderSession.open(bundle, ONE_THREAD, Optional.of(weights))) {
      assertThat(s.weightsVersion()).isEqualTo("seed-1");
      final DecoderOutput out = run(s, d);
      assertThat(
              Golden.maxAbsDiff(out.lowResLogits(), golden.floats(swapped.get("low_res_logits"))))
          .isLessThanOrEqualTo(golden.tolerance());
      assertThat(
              Golden.maxAbsDiff(
                  out.iouPredictions(), golden.floats(swapped.get("iou_predictions"))))
          .isLessThanOrEqualTo(golden.tolerance());
      // and the injection really changed the model
      assertThat(Golden.maxAbsDiff(out.lowResLogits(), bundleLogits))
          .isGreaterThan(10 * golden.tolerance());
    }
  }

  @Test
  void pyTorchLogitsPostprocessToThePythonMasksRleForRle() throws Exception {
    for (final JsonNode m : golden.root().get("masks")) {
      final ModelSpace space = space(m);
      final float[] lowRes = golden.floats(m.get("low_res_logits"));
      final float[] up = bundle.maskRule().values(lowRes, bundle.lowResSize(), space);
      assertThat(Golden.maxAbsDiff(up, golden.floats(m.get("upsampled_logits"))))
          .isLessThanOrEqualTo(1e-5);
      final BinaryMask mask = bundle.maskRule().toMask(lowRes, bundle.lowResSize(), space);
      assertThat(Masks.toRleMask(mask).getCounts()).isEqualTo(m.get("rle_string").asText());
      assertThat(mask.area()).isEqualTo(m.get("area").asLong());
    }
  }

  @Test
  void boxesMapToTheGoldenModelSpace() {
    for (final JsonNode m : golden.root().get("masks")) {
      final JsonNode b = m.get("box");
      final float[] mapped =
          space(m)
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

  @Test
  void onnxMasksMatchThePythonMasksOutsideTheAmbiguousBand() throws Exception {
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
            bundle.maskRule().toMask(out.lowResLogits(), bundle.lowResSize(), space(m));
        assertThat(differingPixels(m, mask, m.get("ambiguous_logit").asDouble()))
            .isLessThanOrEqualTo(m.get("ambiguous_pixels").asInt());
      }
    }
  }

  @Test
  void fullDecoderPathWithFloat16EmbeddingsAgreesWithThePythonMasks() throws Exception {
    try (DecoderSessions sessions =
        new DecoderSessions(MaskDecoderSession.open(bundle, ONE_THREAD, Optional.empty()))) {
      final OnnxMaskDecoder decoder = new OnnxMaskDecoder(bundle, sessions);
      for (final JsonNode m : golden.root().get("masks")) {
        final JsonNode b = m.get("box");
        final SliceEmbedding e = float16Embedding(golden.floats(m.get("image_embeddings")), m);
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
        final int differing = differingPixels(m, mask, 0.02);
        System.out.printf(
            "float16 path, mask area %d vs golden %d, %d confident pixels differ%n",
            mask.area(), m.get("area").asLong(), differing);
        assertThat(differing).isZero();
        assertThat((double) mask.area())
            .isCloseTo(
                m.get("area").asDouble(), org.assertj.core.api.Assertions.withinPercentage(2));
      }
    }
  }

  private int differingPixels(final JsonNode m, final BinaryMask mask, final double margin)
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

  private static ModelSpace space(final JsonNode m) {
    return new ModelSpace(
        m.get("height").asInt(), m.get("width").asInt(), bundle.imageSize(), bundle.resize());
  }

  private static DecoderOutput run(final MaskDecoderSession s, final JsonNode d) throws Exception {
    final float[] boxes = golden.floats(d.get("boxes"));
    return s.run(golden.floats(d.get("image_embeddings")), boxes, boxes.length / 4);
  }

  private static SliceEmbedding float16Embedding(final float[] values, final JsonNode m) {
    return SliceEmbedding.newBuilder(Fixtures.embedding(bundle, "golden/2d/0", 1, 1, 0))
        .setData(EmbeddingTensor.float16Data(values, 0, values.length))
        .setImageHeight(m.get("height").asInt())
        .setImageWidth(m.get("width").asInt())
        .build();
  }
}
