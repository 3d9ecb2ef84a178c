package io.medsam.stream.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.records.Float16;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ONNX Runtime (Java, CPU, 1 intra-op thread) against the PyTorch goldens of both committed model
 * families: golden/ (SAM family, tiny-random-bundle) and golden-lite/ (LiteMedSAM's TinyViT with
 * randomised BatchNorm statistics, lite-random-bundle).
 */
class ImageEncoderSessionTest {

  /** README tolerance for ONNX Runtime vs PyTorch, max abs. */
  private static final float TOLERANCE = 1e-4f;

  /** A golden set and a one-thread session of its bundle. */
  record Case(Golden golden, ImageEncoderSession session) {
    @Override
    public String toString() {
      return golden.name;
    }
  }

  private static final List<Case> CASES = new ArrayList<>();

  @BeforeAll
  static void open() throws Exception {
    for (final String set : Golden.SETS) {
      final Golden golden = Golden.load(set);
      CASES.add(
          new Case(
              golden,
              ImageEncoderSession.open(
                  ModelBundle.read(golden.bundleDir()), EncoderSessionOptions.cpu(1))));
    }
  }

  @AfterAll
  static void close() {
    CASES.forEach(c -> c.session().close());
  }

  static List<Case> cases() {
    return CASES;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void encoderMatchesPyTorchGoldenWithinTolerance(final Case c) throws Exception {
    final Golden golden = c.golden();
    final ImageEncoderSession session = c.session();
    final JsonNode encoder = golden.index.get("encoder");
    final int[] inShape = Golden.shape(encoder.get("image"));
    final float[] images = golden.floats(encoder.get("image"));
    final float[] expected = golden.floats(encoder.get("image_embeddings"));

    final float[] actual = session.encode(images, inShape[0]);

    assertThat(session.provider()).isEqualTo(ExecutionProvider.CPU);
    assertThat(actual).hasSameSizeAs(expected);
    final float diff = Golden.maxAbsDiff(actual, expected);
    System.out.printf(
        "encoder (%s): ONNX Runtime (Java) vs PyTorch max abs diff %.3g%n", golden.name, diff);
    assertThat(diff).isLessThanOrEqualTo(TOLERANCE);
    // not a trivially constant output
    assertThat(Golden.maxAbsDiff(actual, new float[actual.length])).isGreaterThan(1e-2f);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void manifestMatchesTheGoldenIndexAndNamesTheEncoderByHash(final Case c) {
    final Golden golden = c.golden();
    final ImageEncoderSession session = c.session();
    final ModelBundle bundle = session.bundle();
    assertThat(bundle.imageSize()).isEqualTo(golden.index.get("image_size").asInt());
    final JsonNode shape = golden.index.get("embedding_shape");
    assertThat(bundle.embeddingShape())
        .containsExactly(shape.get(0).asInt(), shape.get(1).asInt(), shape.get(2).asInt());
    assertThat(bundle.config()).isEqualTo(golden.index.get("config").asText());
    if (golden.index.has("resize")) { // golden-lite names its rules; golden/ uses the defaults
      assertThat(bundle.resize().manifestName()).isEqualTo(golden.index.get("resize").asText());
      assertThat(bundle.maskRule().manifestName())
          .isEqualTo(golden.index.get("mask_rule").asText());
    }
    assertThat(session.encoderModelId())
        .isEqualTo(
            bundle.id() + ":" + bundle.version() + ":" + bundle.encoderSha256().substring(0, 12))
        .matches(".+:.+:[0-9a-f]{12}");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void sameSliceGivesSameFloat16BytesAloneInABatchAndAcrossRuns(final Case c) throws Exception {
    final Golden golden = c.golden();
    final ImageEncoderSession session = c.session();
    final JsonNode encoder = golden.index.get("encoder");
    final int[] inShape = Golden.shape(encoder.get("image"));
    final float[] images = golden.floats(encoder.get("image"));
    final int perImage = images.length / inShape[0];
    final int size = session.bundle().embeddingSize();

    final float[] batch = session.encode(images, inShape[0]);
    final float[] again = session.encode(images, inShape[0]);
    final float[] alone = session.encode(Arrays.copyOfRange(images, perImage, 2 * perImage), 1);
    // the second image first and last in a batch of five, next to other images
    final float[] mixed = new float[5 * perImage];
    for (int k = 0; k < 5; k++) {
      final int source = k == 0 || k == 4 ? 1 : 0;
      System.arraycopy(images, source * perImage, mixed, k * perImage, perImage);
    }
    final float[] fromMixed = session.encode(mixed, 5);

    assertThat(again).isEqualTo(batch);
    final byte[] reference = Float16.encode(Arrays.copyOfRange(batch, size, 2 * size));
    assertThat(differingBytes(Float16.encode(alone), reference)).isZero();
    assertThat(differingBytes(Float16.encode(Arrays.copyOfRange(fromMixed, 0, size)), reference))
        .isZero();
    assertThat(
            differingBytes(
                Float16.encode(Arrays.copyOfRange(fromMixed, 4 * size, 5 * size)), reference))
        .isZero();
  }

  private static int differingBytes(final byte[] a, final byte[] b) {
    assertThat(a).hasSameSizeAs(b);
    int differing = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        differing++;
      }
    }
    return differing;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aSessionWithMoreThreadsReproducesItself(final Case c) throws Exception {
    final Golden golden = c.golden();
    final ImageEncoderSession session = c.session();
    final JsonNode encoder = golden.index.get("encoder");
    final float[] images = golden.floats(encoder.get("image"));
    final int n = Golden.shape(encoder.get("image"))[0];
    try (ImageEncoderSession two =
        ImageEncoderSession.open(session.bundle(), EncoderSessionOptions.cpu(2))) {
      final float[] first = two.encode(images, n);
      assertThat(two.encode(images, n)).isEqualTo(first);
      assertThat(Golden.maxAbsDiff(first, golden.floats(encoder.get("image_embeddings"))))
          .isLessThanOrEqualTo(TOLERANCE);
    }
  }
}
