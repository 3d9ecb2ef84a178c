package io.medsam.stream.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.imaging.preprocess.ModelSpace;
import io.medsam.stream.imaging.preprocess.ResizeRule;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The L x L area-fraction target the loss is computed against. */
class LowResTargetTest {

  @Test
  void keepsTheForegroundShareOfAStretchedImage() {
    final boolean[] px = new boolean[10 * 12];
    for (int y = 2; y <= 4; y++) {
      for (int x = 3; x <= 7; x++) {
        px[y * 12 + x] = true;
      }
    }
    px[9 * 12 + 11] = true;
    final float[] target =
        LowResTarget.of(
            new BinaryMask(px, 10, 12), new ModelSpace(10, 12, 24, ResizeRule.STRETCH), 6);
    assertThat(target).hasSize(36);
    double covered = 0;
    for (final float v : target) {
      assertThat(v).isBetween(0f, 1f);
      covered += v;
    }
    // the 6 x 6 target covers the 10 x 12 image: foreground share is kept within sampling error
    assertThat(covered / 36).isCloseTo(16.0 / 120, within(0.03));
  }

  @Test
  void cellsAlignedWithTheMaskAreFullOrEmpty() {
    final boolean[] px = new boolean[8 * 8];
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        px[y * 8 + x] = true;
      }
    }
    final float[] target =
        LowResTarget.of(new BinaryMask(px, 8, 8), new ModelSpace(8, 8, 8, ResizeRule.STRETCH), 4);
    assertThat(target).containsExactly(1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  @Test
  void paddingCellsAreBackgroundForLongestSidePad() {
    final boolean[] px = new boolean[10 * 20];
    Arrays.fill(px, true);
    // 10 x 20 image, S = 20: content fills the top 10 of 20 input rows; L = 10 cells of 2 px
    final float[] target =
        LowResTarget.of(
            new BinaryMask(px, 10, 20),
            new ModelSpace(10, 20, 20, ResizeRule.LONGEST_SIDE_PAD),
            10);
    for (int v = 0; v < 10; v++) {
      for (int u = 0; u < 10; u++) {
        assertThat(target[v * 10 + u]).as("cell (%d,%d)", v, u).isEqualTo(v < 5 ? 1f : 0f);
      }
    }
  }
}
