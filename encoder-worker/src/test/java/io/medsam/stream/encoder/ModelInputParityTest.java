package io.medsam.stream.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.medsam.stream.avro.ImageSlice;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.imaging.Slice2D;
import io.medsam.stream.imaging.preprocess.ModelInput;
import io.medsam.stream.imaging.preprocess.ResizeRule;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The encoder's model input (imaging's {@link ModelInput} over {@link SliceImages}) against the
 * Python goldens (ch2 axial slice 90 under the stretch and litemedsam rules), plus the stretch and
 * longest-side-pad edge cases.
 */
class ModelInputParityTest {

  /**
   * Both sides compute bilinear weights and sums in float32 but in a different order; values are in
   * [0, 1] after min-max, so 1e-5 absolute is a few float32 ulps of 255-scaled sums.
   */
  private static final float TOLERANCE = 1e-5f;

  /** golden/ (stretch, bilinear) and golden-lite/ (litemedsam: OpenCV INTER_AREA, padding). */
  @ParameterizedTest
  @ValueSource(strings = {"golden", "golden-lite"})
  void ch2AxialSlice90ModelInputMatchesPython(final String set) throws Exception {
    final Golden golden = Golden.load(set);
    final JsonNode pre = golden.index.get("preprocessing");
    final int h = pre.get("height").asInt();
    final int w = pre.get("width").asInt();
    final byte[] pixels = golden.bytes(pre.get("pixels"));
    final float[] expected = golden.floats(pre.get("model_input"));
    final int s = golden.index.get("image_size").asInt();
    final ResizeRule rule = ModelBundle.read(golden.bundleDir()).resize();

    final float[] actual = ModelInput.build(SliceImages.toSlice2D(slice(pixels, h, w, 1)), s, rule);

    assertThat(pixels).hasSize(h * w);
    assertThat(actual).hasSameSizeAs(expected);
    final float diff = Golden.maxAbsDiff(actual, expected);
    System.out.printf("%s model input (%s): Java vs Python max abs diff %.3g%n", set, rule, diff);
    assertThat(diff).isLessThanOrEqualTo(TOLERANCE);
  }

  @Test
  void constantImageGivesZerosAndRangeIsZeroToOne() {
    float[] out =
        ModelInput.build(grey(new byte[] {7, 7, 7, 7, 7, 7}, 2, 3), 8, ResizeRule.STRETCH);
    assertThat(out).hasSize(3 * 8 * 8).containsOnly(0f);

    final byte[] ramp = {0, 50, 100, (byte) 200, (byte) 250, (byte) 255};
    out = ModelInput.build(grey(ramp, 2, 3), 8, ResizeRule.STRETCH);
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
    final byte[] pixels = new byte[4 * 8]; // H=4, W=8 -> 4x8 region, rows 4..7 padded
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 7);
    }
    final float[] out = ModelInput.build(grey(pixels, 4, 8), 8, ResizeRule.LONGEST_SIDE_PAD);
    assertThat(out).hasSize(3 * 8 * 8);
    for (int ch = 0; ch < 3; ch++) {
      for (int r = 4; r < 8; r++) {
        for (int c = 0; c < 8; c++) {
          assertThat(out[ch * 64 + r * 8 + c]).isZero();
        }
      }
    }
    assertThat(out[3 * 8 + 7]).isEqualTo(1f); // brightest pixel in the kept region
  }

  @Test
  void aSliceWhosePixelsDoNotMatchItsShapeIsRejectedByKey() {
    assertThatThrownBy(() -> SliceImages.toSlice2D(slice(new byte[5], 2, 3, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("s/2d/0");
    assertThatThrownBy(() -> SliceImages.toSlice2D(slice(new byte[12], 2, 3, 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("s/2d/0");
  }

  private static Slice2D grey(final byte[] pixels, final int h, final int w) {
    return new Slice2D(pixels, h, w, 1, 1, 1, 0);
  }

  private static ImageSlice slice(final byte[] pixels, final int h, final int w, final int ch) {
    return ImageSlice.newBuilder()
        .setSliceKey("s/2d/0")
        .setSeriesUid("s")
        .setAxis("2d")
        .setIndex(0)
        .setHeight(h)
        .setWidth(w)
        .setChannels(ch)
        .setPixels(ByteBuffer.wrap(pixels))
        .setPixelSpacingRow(1)
        .setPixelSpacingCol(1)
        .setSlicePosition(0)
        .setModality("MR")
        .setSourceUri("test:")
        .setScanId("scan")
        .setCreatedAt(Instant.EPOCH)
        .build();
  }
}
