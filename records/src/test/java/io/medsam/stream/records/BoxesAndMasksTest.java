package io.medsam.stream.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medsam.stream.avro.Box;
import io.medsam.stream.avro.RleMask;
import io.medsam.stream.imaging.ImageFormatException;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.imaging.preprocess.PixelBox;
import org.junit.jupiter.api.Test;

class BoxesAndMasksTest {

  @Test
  void boxCornersMapOneToOne() {
    final PixelBox p = Boxes.toPixelBox(new Box(1.5f, 2f, 30.25f, 40f));
    assertThat(p).isEqualTo(new PixelBox(1.5, 2, 30.25, 40));
    assertThat(Boxes.toBox(p)).isEqualTo(new Box(1.5f, 2f, 30.25f, 40f));
    assertThat(Boxes.toBox(new PixelBox(0.1, 0, 1, 1)).getX0()).isEqualTo(0.1f);
  }

  @Test
  void maskRoundTripsThroughTheWireRecordColumnMajor() throws Exception {
    // 2 x 3, foreground at (r0,c1), (r1,c1), (r1,c2): column-major runs 2 zeros, 2 ones, 1, 1
    final BinaryMask m =
        new BinaryMask(new boolean[] {false, true, false, false, true, true}, 2, 3);
    final RleMask rle = Masks.toRleMask(m);
    assertThat(rle.getHeight()).isEqualTo(2);
    assertThat(rle.getWidth()).isEqualTo(3);
    assertThat(Masks.toBinaryMask(rle, "mask of p1")).isEqualTo(m);
    assertThat(Masks.cocoBbox(m)).containsExactly(1f, 0f, 2f, 2f);
    assertThat(Masks.cocoBbox(BinaryMask.empty(2, 3))).containsExactly(0f, 0f, 0f, 0f);
  }

  @Test
  void wireMaskThatDoesNotDecodeNamesItsSource() {
    assertThatThrownBy(() -> Masks.toBinaryMask(new RleMask(1, 7, "0X"), "mask of c-9"))
        .isInstanceOf(ImageFormatException.class)
        .hasMessageStartingWith("mask of c-9: ");
    assertThatThrownBy(() -> Masks.toBinaryMask(new RleMask(0, 0, ""), "mask of c-10"))
        .isInstanceOf(ImageFormatException.class)
        .hasMessage("mask of c-10: mask size must be positive, was 0x0");
  }
}
