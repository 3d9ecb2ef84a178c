package io.medsam.stream.imaging.preprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.imaging.Slice2D;
import io.medsam.stream.imaging.testing.UnsignedBytes;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@link ModelInput} under the reference rules: uint8 resize, min-max in double over all channels
 * with the range floored at 1e-8 (a constant image gives zeros), zero padding for LiteMedSAM. The
 * golden comparisons are in {@link ReferenceResizeGoldenTest}.
 */
class ReferenceModelInputTest {

  @Test
  void constantImageGivesAllZeros() {
    final byte[] flat = new byte[20 * 30];
    Arrays.fill(flat, (byte) 77);
    final Slice2D s = new Slice2D(flat, 20, 30, 1, 1, 1, 0);
    assertThat(ModelInput.build(s, 64, ResizeRule.MEDSAM)).hasSize(3 * 64 * 64).containsOnly(0f);
    assertThat(ModelInput.build(s, 256, ResizeRule.LITEMEDSAM))
        .hasSize(3 * 256 * 256)
        .containsOnly(0f);
  }

  @Test
  void medsamNormalizesOverAllChannels() {
    // RGB 1 x 2 at S = 2 (skimage: red (255, 0), green (0, 255), the constant blue 100 comes back
    // as 99.99999999999999 -> 99; see SplineResizeTest); min 0 and max 255 over all planes
    final byte[] px = UnsignedBytes.of(255, 0, 100, 0, 255, 100);
    final float[] in = ModelInput.build(new Slice2D(px, 1, 2, 3, 1, 1, 0), 2, ResizeRule.MEDSAM);
    assertThat(in).hasSize(12);
    assertThat(in[0]).isEqualTo(1f);
    assertThat(in[1]).isEqualTo(0f);
    assertThat(in[4]).isEqualTo(0f);
    assertThat(in[5]).isEqualTo(1f);
    assertThat(in[8]).isEqualTo((float) (99.0 / 255.0));
    assertThat(in[11]).isEqualTo((float) (99.0 / 255.0));
  }

  @Test
  void liteMedsamIsPaddedBottomRight() {
    // 2 x 4 at S = 4: content 2 x 4 (factor 1: pixels unchanged), rows 2..3 zero
    final byte[] px = UnsignedBytes.of(10, 20, 30, 40, 50, 60, 70, 110);
    final float[] in =
        ModelInput.build(new Slice2D(px, 2, 4, 1, 1, 1, 0), 4, ResizeRule.LITEMEDSAM);
    assertThat(in).hasSize(48);
    for (int ch = 0; ch < 3; ch++) {
      for (int n = 0; n < 8; n++) {
        assertThat(in[ch * 16 + n]).isEqualTo((float) (((px[n] & 0xff) - 10.0) / 100.0));
      }
      for (int n = 8; n < 16; n++) {
        assertThat(in[ch * 16 + n]).isZero();
      }
    }
  }

  @Test
  void liteMedsamPadsTheRightOfATallImage() {
    // 4 x 2 at S = 2: content 2 x 1 (k = 0.5: 2 x 2 blocks), column 1 zero
    final byte[] px = UnsignedBytes.of(0, 4, 8, 12, 100, 100, 200, 202);
    final float[] in =
        ModelInput.build(new Slice2D(px, 4, 2, 1, 1, 1, 0), 2, ResizeRule.LITEMEDSAM);
    // block means (0 + 4 + 8 + 12 + 2) >> 2 = 6, (100 + 100 + 200 + 202 + 2) >> 2 = 151
    assertThat(in).containsExactly(0f, 0f, 1f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 1f, 0f);
  }
}
