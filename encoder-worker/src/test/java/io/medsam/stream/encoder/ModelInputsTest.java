package io.medsam.stream.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Java model-input building against the Python golden (ch2 axial slice 90). */
class ModelInputsTest {

  /**
   * Both sides compute bilinear weights and sums in float32 but in a different order; values are in
   * [0, 1] after min-max, so 1e-5 absolute is a few float32 ulps of 255-scaled sums.
   */
  private static final float TOLERANCE = 1e-5f;

  @Test
  void ch2AxialSlice90ModelInputMatchesPython() throws Exception {
    final Golden golden = Golden.load();
    final JsonNode pre = golden.index.get("preprocessing");
    final int h = pre.get("height").asInt();
    final int w = pre.get("width").asInt();
    final byte[] pixels = golden.bytes(pre.get("pixels"));
    final float[] expected = golden.floats(pre.get("model_input"));
    final int s = golden.index.get("image_size").asInt();

    final ModelInputs inputs = new ModelInputs(s, "stretch");
    final float[] actual = new float[inputs.valuesPerImage()];
    inputs.write(pixels, h, w, 1, actual, 0);

    assertThat(pixels).hasSize(h * w);
    assertThat(actual).hasSameSizeAs(expected);
    final float diff = Golden.maxAbsDiff(actual, expected);
    System.out.printf("model input: Java vs Python max abs diff %.3g%n", diff);
    assertThat(diff).isLessThanOrEqualTo(TOLERANCE);
  }

  @Test
  void constantImageGivesZerosAndRangeIsZeroToOne() {
    final ModelInputs inputs = new ModelInputs(8, "stretch");
    final float[] out = new float[inputs.valuesPerImage()];
    inputs.write(new byte[] {7, 7, 7, 7, 7, 7}, 2, 3, 1, out, 0);
    assertThat(out).containsOnly(0f);

    final byte[] ramp = {0, 50, 100, (byte) 200, (byte) 250, (byte) 255};
    inputs.write(ramp, 2, 3, 1, out, 0);
    float min = 1;
    float max = 0;
    for (final float v : out) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertThat(min).isEqualTo(0f);
    assertThat(max).isEqualTo(1f);
  }

  @Test
  void longestSidePadKeepsAspectAndPadsBottomRightWithZeros() {
    final ModelInputs inputs = new ModelInputs(8, "longest-side-pad");
    final float[] out = new float[inputs.valuesPerImage()];
    final byte[] pixels = new byte[4 * 8]; // H=4, W=8 -> 4x8 region, rows 4..7 padded
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 7);
    }
    inputs.write(pixels, 4, 8, 1, out, 0);
    for (int ch = 0; ch < 3; ch++) {
      for (int r = 4; r < 8; r++) {
        for (int c = 0; c < 8; c++) {
          assertThat(out[ch * 64 + r * 8 + c]).isZero();
        }
      }
    }
    assertThat(out[3 * 8 + 7]).isEqualTo(1f); // brightest pixel in the kept region
  }
}
