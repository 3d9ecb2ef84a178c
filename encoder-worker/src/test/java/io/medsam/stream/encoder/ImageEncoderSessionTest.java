package io.medsam.stream.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.records.Float16;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ONNX Runtime (Java, CPU, 1 intra-op thread) against the PyTorch goldens of the tiny bundle. */
class ImageEncoderSessionTest {

  /** README tolerance for ONNX Runtime vs PyTorch, max abs. */
  private static final float TOLERANCE = 1e-4f;

  private static ImageEncoderSession session;
  private static Golden golden;

  @BeforeAll
  static void open() throws Exception {
    golden = Golden.load();
    session =
        ImageEncoderSession.open(
            ModelBundle.read(Golden.tinyBundle()), EncoderSessionOptions.cpu(1));
  }

  @AfterAll
  static void close() {
    session.close();
  }

  @Test
  void encoderMatchesPyTorchGoldenWithinTolerance() throws Exception {
    final JsonNode encoder = golden.index.get("encoder");
    final int[] inShape = Golden.shape(encoder.get("image"));
    final float[] images = golden.floats(encoder.get("image"));
    final float[] expected = golden.floats(encoder.get("image_embeddings"));

    final float[] actual = session.encode(images, inShape[0]);

    assertThat(session.provider()).isEqualTo(ExecutionProvider.CPU);
    assertThat(actual).hasSameSizeAs(expected);
    final float diff = Golden.maxAbsDiff(actual, expected);
    System.out.printf("encoder: ONNX Runtime (Java) vs PyTorch max abs diff %.3g%n", diff);
    assertThat(diff).isLessThanOrEqualTo(TOLERANCE);
    // not a trivially constant output
    assertThat(Golden.maxAbsDiff(actual, new float[actual.length])).isGreaterThan(1e-2f);
  }

  @Test
  void manifestMatchesTheGoldenIndexAndNamesTheEncoderByHash() {
    final ModelBundle bundle = session.bundle();
    assertThat(bundle.imageSize()).isEqualTo(golden.index.get("image_size").asInt());
    final JsonNode shape = golden.index.get("embedding_shape");
    assertThat(bundle.embeddingShape())
        .containsExactly(shape.get(0).asInt(), shape.get(1).asInt(), shape.get(2).asInt());
    assertThat(session.encoderModelId())
        .isEqualTo(
            bundle.id() + ":" + bundle.version() + ":" + bundle.encoderSha256().substring(0, 12))
        .matches(".+:.+:[0-9a-f]{12}");
  }

  @Test
  void sameSliceGivesSameFloat16BytesAloneInABatchAndAcrossRuns() throws Exception {
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

  @Test
  void aSessionWithMoreThreadsReproducesItself() throws Exception {
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
