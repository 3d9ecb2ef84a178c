package io.medsam.stream.imaging.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BoxTest {

  @Test
  void stretchMapsEachAxisByItsOwnScaleAndBack() {
    final ModelSpace space = new ModelSpace(100, 200, 1024, ResizeRule.STRETCH);
    final PixelBox m = space.toModel(new PixelBox(10, 20, 150, 90));
    // x' = x * 1024 / 200, y' = y * 1024 / 100
    assertThat(m.x0()).isEqualTo(51.2);
    assertThat(m.y0()).isEqualTo(204.8);
    assertThat(m.x1()).isEqualTo(768.0);
    assertThat(m.y1()).isEqualTo(921.6);
    final PixelBox back = space.toOriginal(m);
    assertThat(back.x0()).isCloseTo(10, within(1e-9));
    assertThat(back.y1()).isCloseTo(90, within(1e-9));
  }

  @Test
  void longestSidePadScalesBothAxesByTheLongSide() {
    final ModelSpace space = new ModelSpace(100, 200, 256, ResizeRule.LONGEST_SIDE_PAD);
    final PixelBox m = space.toModel(new PixelBox(10, 20, 150, 90));
    assertThat(m.toFloats()).containsExactly(12.8f, 25.6f, 192f, 115.2f);
    assertThat(space.toOriginal(m).y0()).isCloseTo(20, within(1e-9));
  }

  @Test
  void validBoxesIncludingTheImageEdgePass() throws Exception {
    assertThat(new PixelBox(0, 0, 200, 100).validate(100, 200, "p1")).isNotNull();
    assertThat(new PixelBox(3, 4, 5, 6).validate(100, 200, "p1").width()).isEqualTo(2.0);
  }

  @Test
  void boxOutsideTheImageIsRefused() {
    assertThatThrownBy(() -> new PixelBox(250, 10, 300, 20).validate(100, 200, "prompt-7"))
        .isInstanceOf(InvalidBoxException.class)
        .hasMessage(
            "prompt-7: box [250.0, 10.0, 300.0, 20.0] lies outside the 100x200 image (H x W)");
  }

  @Test
  void boxExtendingOutsideTheImageIsRefused() {
    assertThatThrownBy(() -> new PixelBox(-3, 10, 50, 20).validate(100, 200, "prompt-8"))
        .isInstanceOf(InvalidBoxException.class)
        .hasMessage(
            "prompt-8: box [-3.0, 10.0, 50.0, 20.0] extends outside the 100x200 image (H x W)");
  }

  @Test
  void boxOfZeroAreaIsRefused() {
    assertThatThrownBy(() -> new PixelBox(5, 10, 5, 20).validate(100, 200, "prompt-9"))
        .isInstanceOf(InvalidBoxException.class)
        .hasMessage("prompt-9: box [5.0, 10.0, 5.0, 20.0] has zero area");
  }

  @Test
  void shapeChecksNeedNoImageAndAgreeWithTheFullValidation() throws Exception {
    assertThat(new PixelBox(500, 500, 900, 600).validateShape("p")).isNotNull(); // any image size
    assertThatThrownBy(() -> new PixelBox(5, 10, 5, 20).validateShape("prompt-9"))
        .hasMessage("prompt-9: box [5.0, 10.0, 5.0, 20.0] has zero area");
    assertThatThrownBy(() -> new PixelBox(1, 10, 5, 2).validateShape("p"))
        .hasMessageEndingWith("is inverted: y1 < y0");
    assertThatThrownBy(() -> new PixelBox(1, 1, Double.POSITIVE_INFINITY, 2).validateShape("p"))
        .hasMessageEndingWith("has a non-finite coordinate (NaN or infinity)");
  }

  @Test
  void invertedBoxIsRefused() {
    assertThatThrownBy(() -> new PixelBox(50, 10, 5, 20).validate(100, 200, "prompt-10"))
        .isInstanceOf(InvalidBoxException.class)
        .hasMessageEndingWith("is inverted: x1 < x0");
  }

  @Test
  void nanBoxIsRefused() {
    assertThatThrownBy(() -> new PixelBox(Double.NaN, 10, 5, 20).validate(100, 200, "p"))
        .isInstanceOf(InvalidBoxException.class)
        .hasMessageEndingWith("has a non-finite coordinate (NaN or infinity)");
  }

  @Test
  void insidePixelsMeansInclusiveCornersOnTheImage() {
    assertThat(new PixelBox(0, 0, 199, 99).isInsidePixels(100, 200)).isTrue();
    assertThat(new PixelBox(7, 3, 7, 9).isInsidePixels(100, 200)).as("one pixel wide").isTrue();
    assertThat(new PixelBox(0, 0, 200, 99).isInsidePixels(100, 200)).as("x1 = W").isFalse();
    assertThat(new PixelBox(0, 0, 199, 100).isInsidePixels(100, 200)).as("y1 = H").isFalse();
    assertThat(new PixelBox(-1, 0, 5, 5).isInsidePixels(100, 200)).isFalse();
    assertThat(new PixelBox(5, 6, 4, 9).isInsidePixels(100, 200)).as("inverted").isFalse();
    assertThat(new PixelBox(Double.NaN, 0, 5, 5).isInsidePixels(100, 200)).isFalse();
    assertThat(new PixelBox(0, 0, Double.POSITIVE_INFINITY, 5).isInsidePixels(100, 200)).isFalse();
  }
}
