package io.medsam.stream.imaging.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.medsam.stream.imaging.Slice2D;
import org.junit.jupiter.api.Test;

/**
 * Bilinear resizing against PyTorch 1.13: the expected arrays were printed by /usr/bin/python3 with
 * {@code F.interpolate(x[None, None], size=..., mode="bilinear", align_corners=False)}. Tolerance
 * 1e-5 (float arithmetic on both sides).
 */
class ResizeAndModelInputTest {
  private static final float[] X = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, -3, 0, 2.5f, 11, -7};

  @Test
  void upsamplingMatchesPytorch() {
    final double[][] expected = {
      {1.125, 2.375, 3.625, 4.875},
      {1.8392857313156128, 3.0892856121063232, 4.339285850524902, 5.589285850524902},
      {3.982142925262451, 5.232142925262451, 6.482142925262451, 7.732142925262451},
      {6.125, 7.375, 8.625, 9.875},
      {2.374999761581421, 4.6160712242126465, 8.276785850524902, 3.607142448425293},
      {-1.375, 1.8571428060531616, 7.9285712242126465, -2.6607143878936768},
      {-2.625, 0.9375, 7.8125, -4.75}
    };
    assertGrid(BilinearResize.resize(X, 3, 5, 7, 4), expected);
  }

  @Test
  void downsamplingMatchesPytorchWithoutAntialiasing() {
    final double[][] expected = {
      {2.5833332538604736, 4.25, 5.916666507720947},
      {0.0833333283662796, 3.874999761581421, 1.6666676998138428}
    };
    assertGrid(BilinearResize.resize(X, 3, 5, 2, 3), expected);
  }

  @Test
  void stretchModelInputIsGreyTimesThreeResizedThenMinMax() {
    // torch: img = [[0,50,100],[200,255,10]]; r = F.interpolate(img, (4,4));
    // (r-r.min())/(r.max()-r.min())
    final Slice2D s =
        new Slice2D(new byte[] {0, 50, 100, (byte) 200, (byte) 255, 10}, 2, 3, 1, 1, 1, 0);
    final float[] in = ModelInput.build(s, 4, ResizeRule.STRETCH);
    final double[][] expected = {
      {0.0, 0.13333334028720856, 0.2933333218097687, 0.4266666769981384},
      {0.2133333384990692, 0.3499999940395355, 0.39399999380111694, 0.3306666612625122},
      {0.6399999856948853, 0.7833333611488342, 0.5953333377838135, 0.13866665959358215},
      {0.8533333539962769, 1.0, 0.6959999799728394, 0.04266666620969772}
    };
    assertThat(in).hasSize(3 * 16);
    for (int ch = 0; ch < 3; ch++) {
      final float[] plane = java.util.Arrays.copyOfRange(in, ch * 16, ch * 16 + 16);
      assertGrid(plane, expected);
    }
  }

  @Test
  void longestSidePadResizesKeepingAspectAndPadsWithZeros() {
    // 2x4 image, S = 8: content 4x8 (torch: F.interpolate to (4, 8), then min-max), rows 4..7 = 0
    final Slice2D s =
        new Slice2D(
            new byte[] {0, 50, 100, (byte) 150, (byte) 200, (byte) 255, 10, 20}, 2, 4, 1, 1, 1, 0);
    final float[] in = ModelInput.build(s, 8, ResizeRule.LONGEST_SIDE_PAD);
    final double[][] content = {
      {
        0.0,
        0.05181347206234932,
        0.15544041991233826,
        0.2590673565864563,
        0.36269429326057434,
        0.4663212299346924,
        0.5699481964111328,
        0.621761679649353
      },
      {
        0.20725388824939728,
        0.2603626847267151,
        0.3665803074836731,
        0.3950777053833008,
        0.34585490822792053,
        0.36269429326057434,
        0.4455958604812622,
        0.48704662919044495
      },
      {
        0.621761679649353,
        0.6774611473083496,
        0.7888600826263428,
        0.6670984625816345,
        0.3121761679649353,
        0.15544041991233826,
        0.196891188621521,
        0.21761657297611237
      },
      {
        0.8290155529975891,
        0.8860103487968445,
        1.0,
        0.803108811378479,
        0.2953367829322815,
        0.05181347206234932,
        0.07253886014223099,
        0.08290155231952667
      }
    };
    for (int r = 0; r < 8; r++) {
      for (int c = 0; c < 8; c++) {
        final double want = r < 4 ? content[r][c] : 0.0;
        assertThat((double) in[2 * 64 + r * 8 + c])
            .as("(%d,%d)", r, c)
            .isCloseTo(want, within(1e-5));
      }
    }
  }

  @Test
  void constantImageGivesAllZeros() {
    final Slice2D s = new Slice2D(new byte[] {7, 7, 7, 7}, 2, 2, 1, 1, 1, 0);
    assertThat(ModelInput.build(s, 4, ResizeRule.STRETCH)).containsOnly(0f);
  }

  @Test
  void rgbChannelsBecomePlanes() {
    final byte[] px = {(byte) 255, 0, 0, 0, (byte) 255, 0};
    final Slice2D s = new Slice2D(px, 1, 2, 3, 1, 1, 0);
    final float[] in = ModelInput.build(s, 2, ResizeRule.STRETCH);
    // Red plane is 1 where pixel 0 was red: after 1x2 -> 2x2 the left column is 1, right 0.
    assertThat(in[0]).isEqualTo(1f);
    assertThat(in[1]).isEqualTo(0f);
    assertThat(in[4 + 1]).isEqualTo(1f);
    assertThat(in[8]).isEqualTo(0f);
  }

  @Test
  void contentSizeRoundsHalfUpLikeLiteMedsam() {
    assertThat(ResizeRule.LONGEST_SIDE_PAD.contentSize(181, 217, 256)).containsExactly(214, 256);
    assertThat(ResizeRule.STRETCH.contentSize(181, 217, 1024)).containsExactly(1024, 1024);
    assertThat(ResizeRule.fromManifest("longest-side-pad")).isEqualTo(ResizeRule.LONGEST_SIDE_PAD);
  }

  private static void assertGrid(final float[] actual, final double[][] expected) {
    final int w = expected[0].length;
    assertThat(actual).hasSize(expected.length * w);
    for (int r = 0; r < expected.length; r++) {
      for (int c = 0; c < w; c++) {
        assertThat((double) actual[r * w + c])
            .as("(%d,%d)", r, c)
            .isCloseTo(expected[r][c], within(1e-5));
      }
    }
  }
}
