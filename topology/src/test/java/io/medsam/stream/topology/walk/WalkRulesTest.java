package io.medsam.stream.topology.walk;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.avro.Box;
import java.util.List;
import org.junit.jupiter.api.Test;

class WalkRulesTest {

  @Test
  void middleIsTheReferencesIntOfTheHalfway() {
    assertThat(WalkRules.middle(70, 89)).isEqualTo(79); // int((89 - 70) / 2 + 70) = int(79.5)
    assertThat(WalkRules.middle(4, 4)).isEqualTo(4);
    assertThat(WalkRules.middle(2, 6)).isEqualTo(4);
  }

  @Test
  void marginIsThreePixelsAt256OnTheLongestSide() {
    assertThat(WalkRules.marginPixels(256, 200)).isEqualTo(3.0);
    assertThat(WalkRules.marginPixels(217, 512)).isEqualTo(6.0);
    assertThat(WalkRules.marginPixels(1024, 1024)).isEqualTo(12.0);
  }

  @Test
  void boxAroundAMaskIsItsInclusiveCornersWidenedAndClippedToTheImage() {
    // mask columns 10..29, rows 5..14 on a 256 x 128 slice: margin 3
    assertThat(WalkRules.boxAround(List.of(10f, 5f, 20f, 10f), 256, 128))
        .isEqualTo(new Box(7f, 2f, 32f, 17f));
    // touching the top-left and the bottom-right edges: clipped to [0, W] x [0, H]
    assertThat(WalkRules.boxAround(List.of(1f, 0f, 127f, 256f), 256, 128))
        .isEqualTo(new Box(0f, 0f, 128f, 256f));
  }
}
