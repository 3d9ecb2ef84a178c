package io.medsam.stream.decoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.medsam.stream.decoder.bundle.ResizeRule;
import org.junit.jupiter.api.Test;

class MaskRendererTest {

  @Test
  void upsamplingMatchesPyTorchAlignCornersFalse() {
    // F.interpolate(torch.tensor([[[[0., 1.], [2., 3.]]]]), (4, 4), mode="bilinear",
    // align_corners=False): rows 0..3 of the result
    final float[] out = MaskRenderer.resize(new float[] {0, 1, 2, 3}, 2, 2, 4, 4);
    final float[] expected = {
      0.0f, 0.25f, 0.75f, 1.0f,
      0.5f, 0.75f, 1.25f, 1.5f,
      1.5f, 1.75f, 2.25f, 2.5f,
      2.0f, 2.25f, 2.75f, 3.0f
    };
    for (int i = 0; i < expected.length; i++) {
      assertThat(out[i]).as("pixel %d", i).isCloseTo(expected[i], within(1e-6f));
    }
  }

  @Test
  void rleIsColumnMajorAndStartsWithZeros() {
    // 3 x 2 mask (H x W), row-major logits:
    // row0: 1 0
    // row1: 1 1
    // row2: 0 1
    // column-major bits: 1 1 0 0 1 1 -> counts [0, 2, 2, 2]
    final RenderedMask m = MaskRenderer.encode(new float[] {1, -1, 1, 1, -1, 1}, 3, 2);
    assertThat(m.area()).isEqualTo(4);
    assertThat(m.bbox()).containsExactly(0f, 0f, 2f, 3f);
    assertThat(m.rleCounts()).isEqualTo(MaskRenderer.compress(new long[] {0, 2, 2, 2}, 4));
  }

  @Test
  void compressedCountsFollowPycocotools() {
    // pycocotools rleToString, worked by hand from its C source; the last count is stored as a
    // negative difference (3 - 40) and exercises the sign-extension rule
    assertThat(MaskRenderer.compress(new long[] {0, 2, 2, 2}, 4)).isEqualTo("0220");
    assertThat(MaskRenderer.compress(new long[] {5, 40, 1000}, 3)).isEqualTo("5X1Xo0");
    assertThat(MaskRenderer.compress(new long[] {5, 40, 1000, 3}, 4)).isEqualTo("5X1Xo0kN");
  }

  @Test
  void emptyMaskHasZeroBoxAndOneRun() {
    final RenderedMask m = new MaskRenderer(ResizeRule.STRETCH, 8).render(new float[] {-1, -1, -1, -1}, 2, 5, 3);
    assertThat(m.area()).isZero();
    assertThat(m.bbox()).containsExactly(0f, 0f, 0f, 0f);
    assertThat(m.rleCounts()).isEqualTo(MaskRenderer.compress(new long[] {15}, 1));
  }
}
