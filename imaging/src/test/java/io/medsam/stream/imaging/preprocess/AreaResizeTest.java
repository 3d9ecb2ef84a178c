package io.medsam.stream.imaging.preprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.imaging.testing.UnsignedBytes;
import org.junit.jupiter.api.Test;

/**
 * Edge cases of LiteMedSAM's resize. Expected bytes printed by /usr/bin/python3 (OpenCV 4.6.0) as
 * the reference script does it: {@code cv2.resize(np.repeat(x[:, :, None], 3, -1), (ow, oh),
 * interpolation=cv2.INTER_AREA)[..., 0]}.
 */
class AreaResizeTest {

  @Test
  void onePixelHighShrink() {
    // 1 x 7 -> 1 x 3: area weights with partial pixels (7 / 3 per output)
    assertThat(
            UnsignedBytes.values(
                AreaResize.resize(UnsignedBytes.of(10, 200, 30, 90, 255, 0, 77), 1, 7, 1, 3)))
        .containsExactly(94, 120, 69);
  }

  @Test
  void onePixelWideEnlarge() {
    // 7 x 1 -> 16 x 2: the enlarging path, clamped at the single column
    assertThat(
            UnsignedBytes.values(
                AreaResize.resize(UnsignedBytes.of(10, 200, 30, 90, 255, 0, 77), 7, 1, 16, 2)))
        .containsExactly(
            10, 10, 10, 10, 146, 146, 200, 200, 127, 127, 30, 30, 38, 38, 90, 90, 90, 90, 231, 231,
            255, 255, 109, 109, 0, 0, 22, 22, 77, 77, 77, 77);
  }

  @Test
  void shrinkOfBothAxes() {
    final byte[] img =
        UnsignedBytes.of(0, 255, 0, 255, 0, 255, 0, 40, 255, 9, 99, 199, 255, 0, 12, 120, 240, 3);
    assertThat(UnsignedBytes.values(AreaResize.resize(img, 2, 9, 1, 4)))
        .containsExactly(92, 146, 79, 126);
  }

  @Test
  void integerFactorsTakeTheBlockMean() {
    // 2 x 2 blocks round half up: (1 + 2 + 2 + 2 + 2) >> 2 = 2 (mean 1.75), 4 x 1 ones: 0.5 -> 0
    assertThat(UnsignedBytes.values(AreaResize.resize(UnsignedBytes.of(1, 2, 2, 2), 2, 2, 1, 1)))
        .containsExactly(2);
    assertThat(UnsignedBytes.values(AreaResize.resize(UnsignedBytes.of(1, 2, 1, 2), 2, 2, 1, 1)))
        .containsExactly(2);
    // 1 x 4 -> 1 x 1 (factor 4 x 1): 1.5 and 2.5 round half to even
    assertThat(UnsignedBytes.values(AreaResize.resize(UnsignedBytes.of(1, 2, 1, 2), 1, 4, 1, 1)))
        .containsExactly(2);
    assertThat(UnsignedBytes.values(AreaResize.resize(UnsignedBytes.of(2, 3, 2, 3), 1, 4, 1, 1)))
        .containsExactly(2);
  }

  @Test
  void constantImageStaysConstant() {
    final byte[] flat = new byte[20 * 30];
    java.util.Arrays.fill(flat, (byte) 77);
    assertThat(UnsignedBytes.values(AreaResize.resize(flat, 20, 30, 171, 256))).containsOnly(77);
    assertThat(UnsignedBytes.values(AreaResize.resize(flat, 20, 30, 7, 11))).containsOnly(77);
  }

  @Test
  void scaleIsComputedAsOpenCvDoes() {
    // 136 -> 192: 1 / (192 / 136) is not 136 / 192 in the last bit
    assertThat(AreaResize.scale(136, 192)).isNotEqualTo(136.0 / 192);
    assertThat(AreaResize.scale(136, 192)).isEqualTo(1.0 / (192.0 / 136));
  }
}
