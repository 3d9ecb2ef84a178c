package io.medsam.stream.imaging.mask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.medsam.stream.imaging.ImageFormatException;
import io.medsam.stream.imaging.preprocess.ModelSpace;
import io.medsam.stream.imaging.preprocess.PixelBox;
import io.medsam.stream.imaging.preprocess.ResizeRule;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaskToolsTest {
  /** Low-res logits used with PyTorch below. */
  private static final float[] LOGITS = {
    -2, -1, 1, 3, -1, 0.5f, 2, -4, 0, -0.25f, -1, 1, 2, 1, -3, -0.5f
  };

  @TempDir Path tmp;

  @Test
  void stretchUpsamplingMatchesPytorchAndThresholdsAtZero() {
    // torch: F.interpolate(l[None,None], size=(5,7), mode="bilinear", align_corners=False);
    // (up > 0) gives the mask below. Entry (0,3) is 2.4e-7 in torch (float rounding of 0).
    final double[] row2 = {
      -0.5,
      -0.276785671710968,
      0.08035716414451599,
      0.3125000596046448,
      0.3571426272392273,
      -0.7857146263122559,
      -1.5
    };
    final float[] up =
        MaskRule.LOGITS.values(LOGITS, 4, new ModelSpace(5, 7, 4, ResizeRule.STRETCH));
    for (int c = 0; c < 7; c++) {
      assertThat((double) up[2 * 7 + c]).isCloseTo(row2[c], within(1e-5));
    }
    final int[][] expected = {
      {0, 0, 0, -1, 1, 1, 1},
      {0, 0, 0, 1, 1, 0, 0},
      {0, 0, 1, 1, 1, 0, 0},
      {1, 1, 1, 0, 0, 0, 1},
      {1, 1, 1, 0, 0, 0, 0}
    };
    final BinaryMask m =
        MaskRule.LOGITS.toMask(LOGITS, 4, new ModelSpace(5, 7, 4, ResizeRule.STRETCH));
    for (int r = 0; r < 5; r++) {
      for (int c = 0; c < 7; c++) {
        if (expected[r][c] >= 0) {
          assertThat(m.get(r, c)).as("(%d,%d)", r, c).isEqualTo(expected[r][c] == 1);
        }
      }
    }
  }

  @Test
  void longestSidePadUpsamplesCropsThenResizes() {
    // torch: up = F.interpolate(l, (8,8))[:4, :8]; F.interpolate(up, (3,6)) for a 3x6 image, S=8
    final double[][] expected = {
      {
        -1.915798544883728,
        -1.4479166269302368,
        -0.5677082538604736,
        0.6987848281860352,
        1.8750001192092896,
        2.6388888359069824
      },
      {
        -1.4479166269302368,
        -0.8749999403953552,
        0.06250011920928955,
        1.0520833730697632,
        0.4999997317790985,
        -0.41666701436042786
      },
      {
        -0.7868923544883728,
        -0.27604159712791443,
        0.4539931118488312,
        0.9474824666976929,
        -0.666667103767395,
        -2.500000238418579
      }
    };
    final float[] up =
        MaskRule.LOGITS.values(LOGITS, 4, new ModelSpace(3, 6, 8, ResizeRule.LONGEST_SIDE_PAD));
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 6; c++) {
        assertThat((double) up[r * 6 + c]).isCloseTo(expected[r][c], within(1e-5));
      }
    }
  }

  @Test
  void bboxAndAreaFollowCoco() {
    final boolean[] px = new boolean[6 * 8];
    px[2 * 8 + 3] = true;
    px[4 * 8 + 6] = true;
    px[3 * 8 + 5] = true;
    final BinaryMask m = new BinaryMask(px, 6, 8);
    assertThat(m.area()).isEqualTo(3);
    assertThat(m.cocoBbox()).containsExactly(3f, 2f, 4f, 3f);
    assertThat(m.boundingBox()).contains(new PixelBox(3, 2, 6, 4));
    assertThat(BinaryMask.empty(2, 2).cocoBbox()).containsExactly(0f, 0f, 0f, 0f);
    assertThat(BinaryMask.empty(2, 2).boundingBox()).isEmpty();
  }

  @Test
  void pngRoundTrip() throws Exception {
    final boolean[] px = new boolean[7 * 5];
    for (int i = 0; i < px.length; i += 3) {
      px[i] = true;
    }
    final BinaryMask m = new BinaryMask(px, 7, 5);
    final Path f = tmp.resolve("mask.png");
    MaskPng.write(m, f);
    assertThat(MaskPng.read(f)).isEqualTo(m);
  }

  @Test
  void truncatedMaskPngIsRefused() {
    final byte[] png = MaskPng.toPng(BinaryMask.empty(64, 64));
    assertThatThrownBy(() -> MaskPng.fromPng(Arrays.copyOf(png, 40), "gt.png"))
        .isInstanceOf(ImageFormatException.class)
        .hasMessageStartingWith("gt.png: ");
  }

  @Test
  void componentsAreEightConnected() {
    // Two pixels touching diagonally form one component; a far pixel forms another.
    final BinaryMask m =
        new BinaryMask(
            new boolean[] {
              true, false, false, false,
              false, true, false, false,
              false, false, false, true
            },
            3,
            4);
    final List<BinaryMask> parts = ConnectedComponents.of(m);
    assertThat(parts).hasSize(2);
    assertThat(parts.get(0).area()).isEqualTo(2);
    assertThat(parts.get(1).get(2, 3)).isTrue();
  }
}
