package io.medsam.stream.imaging.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.medsam.stream.imaging.testing.UnsignedBytes;
import org.junit.jupiter.api.Test;

/**
 * Edge cases of MedSAM's resize. Expected bytes printed by /usr/bin/python3 (scikit-image 0.19.3,
 * SciPy 1.10.1) as the reference script does it, grey replicated to three channels: {@code
 * transform.resize(np.repeat(x[:, :, None], 3, -1), (oh, ow), order=3, preserve_range=True,
 * anti_aliasing=True).astype(np.uint8)} (all three channels checked), or on the 2D array where the
 * test says so.
 */
class SplineResizeTest {

  /** MedSAM's rule on a grey image: the three resized channels, each checked against expected. */
  private static void assertGrey3(
      final byte[] grey, final int h, final int w, final int oh, final int ow, final int... want) {
    final byte[][] r = SplineResize.resizeChannels(new byte[][] {grey, grey, grey}, h, w, oh, ow);
    assertThat(r).hasNumberOfRows(3);
    for (int ch = 0; ch < 3; ch++) {
      assertThat(UnsignedBytes.values(r[ch])).as("channel %d", ch).containsExactly(want);
    }
  }

  @Test
  void onePixelHighOrWideInputIsConstantAlongThatAxis() {
    // 1 x 5 -> 3 x 4 (float 17.4573, 166.6847, 28.0198, 250.719 on every row); transposed too
    final byte[] row = UnsignedBytes.of(10, 200, 30, 90, 255);
    assertGrey3(row, 1, 5, 3, 4, 17, 166, 28, 250, 17, 166, 28, 250, 17, 166, 28, 250);
    assertGrey3(row, 5, 1, 4, 3, 17, 17, 17, 166, 166, 166, 28, 28, 28, 250, 250, 250);
    assertThat(UnsignedBytes.values(SplineResize.resize(row, 1, 5, 3, 4)))
        .containsExactly(17, 166, 28, 250, 17, 166, 28, 250, 17, 166, 28, 250);
  }

  @Test
  void twoSamplesMirrorWithPeriodTwo() {
    // 3 x 2 -> 2 x 7: the 2 columns are extended as a b a b ...; both axes interpolate
    final byte[] img = UnsignedBytes.of(0, 100, 250, 20, 60, 180);
    assertGrey3(img, 3, 2, 2, 7, 50, 37, 42, 60, 79, 83, 70, 111, 92, 99, 124, 149, 156, 138);
  }

  @Test
  void strongShrinkMirrorsTheGaussianFarOutside() {
    // 2 x 9 -> 2 x 1: sigma 4, radius 16, twice the line: the kernel wraps the mirror period
    final byte[] img =
        UnsignedBytes.of(0, 255, 0, 255, 0, 255, 0, 40, 255, 9, 99, 199, 255, 0, 12, 120, 240, 3);
    assertGrey3(img, 2, 9, 2, 1, 116, 116);
    // 2 x 9 -> 5 x 2: rows enlarge (no filter), columns shrink (sigma 1.75, radius 7)
    assertGrey3(img, 2, 9, 5, 2, 127, 105, 127, 104, 126, 107, 126, 111, 126, 109);
  }

  @Test
  void theChannelAxisTakesPartAsInMedsamsThreeChannelArray() {
    // 3 x 4 -> 3 x 4: every output sits on a source pixel, the spline returns it within rounding
    // and the truncation decides; the H x W x 3 array's channel axis changes that rounding, so
    // the 2D call, and each of the three channels, give different bytes (skimage prints)
    final byte[] img = UnsignedBytes.of(100, 219, 141, 8, 195, 186, 216, 44, 22, 220, 5, 138);
    final byte[][] r = SplineResize.resizeChannels(new byte[][] {img, img, img}, 3, 4, 3, 4);
    assertThat(UnsignedBytes.values(r[0]))
        .containsExactly(100, 219, 140, 8, 195, 185, 216, 43, 21, 220, 5, 137);
    assertThat(UnsignedBytes.values(r[1]))
        .containsExactly(99, 219, 141, 8, 195, 185, 216, 44, 21, 219, 5, 138);
    assertThat(UnsignedBytes.values(r[2]))
        .containsExactly(99, 218, 141, 8, 195, 185, 216, 44, 21, 220, 5, 138);
    assertThat(UnsignedBytes.values(SplineResize.resize(img, 3, 4, 3, 4)))
        .containsExactly(100, 219, 141, 8, 195, 185, 216, 43, 21, 220, 5, 138);
  }

  @Test
  void rgbClipsToTheRangeOverAllChannels() {
    // skimage on [[[255, 0, 100], [0, 255, 100]]] -> 2 x 2 x 3: red and green come back (clipped
    // at 255), the constant blue 100 comes back as 99.99999999999999 -> 99
    final byte[][] r =
        SplineResize.resizeChannels(
            new byte[][] {
              UnsignedBytes.of(255, 0), UnsignedBytes.of(0, 255), UnsignedBytes.of(100, 100)
            },
            1,
            2,
            2,
            2);
    assertThat(UnsignedBytes.values(r[0])).containsExactly(255, 0, 255, 0);
    assertThat(UnsignedBytes.values(r[1])).containsExactly(0, 255, 0, 255);
    assertThat(UnsignedBytes.values(r[2])).containsExactly(99, 99, 99, 99);
  }

  @Test
  void constantImageStaysConstant() {
    final byte[] flat = new byte[20 * 30];
    java.util.Arrays.fill(flat, (byte) 77);
    final byte[][] up =
        SplineResize.resizeChannels(new byte[][] {flat, flat, flat}, 20, 30, 64, 64);
    final byte[][] down =
        SplineResize.resizeChannels(new byte[][] {flat, flat, flat}, 20, 30, 7, 5);
    for (int ch = 0; ch < 3; ch++) {
      assertThat(UnsignedBytes.values(up[ch])).containsOnly(77);
      assertThat(UnsignedBytes.values(down[ch])).containsOnly(77);
    }
  }

  @Test
  void mirrorIndexIsPeriodicFarOutside() {
    // n = 4: ... 2 1 | 0 1 2 3 | 2 1 0 1 2 3 2 ...
    final int[] expected = {0, 1, 2, 3, 2, 1, 0, 1, 2, 3, 2, 1, 0, 1};
    for (int i = -6; i < 8; i++) {
      assertThat(SplineResize.mirror(i, 4)).as("mirror(%d, 4)", i).isEqualTo(expected[i + 6]);
      assertThat(SplineResize.mirror(i + 6 * 1000, 4)).isEqualTo(expected[i + 6]);
      assertThat(SplineResize.mirror(i - 6 * 1000, 4)).isEqualTo(expected[i + 6]);
    }
    assertThat(SplineResize.mirror(-7, 2)).isEqualTo(1);
    assertThat(SplineResize.mirror(12345, 1)).isZero();
    assertThat(SplineResize.mirror(-12345, 1)).isZero();
  }

  @Test
  void gaussianIsSkippedWhenEnlargingOrWhenItsRadiusIsZero() {
    assertThat(SplineResize.gaussianKernel(SplineResize.antiAliasingSigma(217, 1024))).isNull();
    // 300 -> 256: sigma 0.086, radius int(0.34 + 0.5) = 0
    assertThat(SplineResize.gaussianKernel(SplineResize.antiAliasingSigma(300, 256))).isNull();
    // 400 -> 128: sigma 1.0625, radius 4, normalised
    final double[] k = SplineResize.gaussianKernel(SplineResize.antiAliasingSigma(400, 128));
    assertThat(k).hasSize(9);
    double sum = 0;
    for (final double v : k) {
      sum += v;
    }
    assertThat(sum).isCloseTo(1.0, within(1e-15));
    assertThat(k[0]).isEqualTo(k[8]);
  }

  @Test
  void splineCoefficientsInterpolateTheSamples() {
    final double[] samples = {3, -1, 4, 1, -5, 9, 2, 6};
    final double[] c = samples.clone();
    SplineResize.splineCoefficients(c, c.length, SplineResize.poleToThe(c.length - 1));
    for (int k = 0; k < samples.length; k++) {
      // B3 at the integers: 1/6, 4/6, 1/6; mirror-extended coefficients at the ends
      final double left = c[SplineResize.mirror(k - 1, c.length)];
      final double right = c[SplineResize.mirror(k + 1, c.length)];
      assertThat((left + 4 * c[k] + right) / 6).isCloseTo(samples[k], within(1e-12));
    }
  }
}
