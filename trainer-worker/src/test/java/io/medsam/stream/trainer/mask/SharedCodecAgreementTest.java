package io.medsam.stream.trainer.mask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medsam.stream.trainer.model.ModelSpace;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The trainer's masks speak the same wire format as the rest of the system: its COCO RLE agrees
 * string for string with imaging's (checked there against pycocotools), and its boxes, components
 * and low-res targets behave as the paper's conventions say.
 */
class SharedCodecAgreementTest {

  @Test
  void rleMatchesImagingBothWaysOnRandomMasks() {
    final Random r = new Random(3);
    for (int t = 0; t < 200; t++) {
      final int h = 1 + r.nextInt(40);
      final int w = 1 + r.nextInt(40);
      final double p = r.nextDouble();
      final boolean[] px = new boolean[h * w];
      for (int i = 0; i < px.length; i++) {
        px[i] = r.nextDouble() < p;
      }
      final BinaryMask mine = new BinaryMask(h, w, px);
      final String ours = CocoRle.encode(mine);
      final String theirs = io.medsam.stream.imaging.mask.CocoRle
          .encode(new io.medsam.stream.imaging.mask.BinaryMask(px, h, w)).toCompressedString();
      assertThat(ours).isEqualTo(theirs);
      assertThat(CocoRle.decode(theirs, h, w)).isEqualTo(mine);
    }
  }

  @Test
  void malformedRleIsRejected() {
    final BinaryMask m = new BinaryMask(4, 4, new boolean[16]);
    final String ok = CocoRle.encode(m);
    assertThat(CocoRle.decode(ok, 4, 4)).isEqualTo(m);
    assertThatThrownBy(() -> CocoRle.decode(ok, 5, 4)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CocoRle.decode("0;0;\u0001", 4, 4)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void boxComponentsAndLowResTarget() {
    final boolean[] px = new boolean[10 * 12];
    for (int y = 2; y <= 4; y++) {
      for (int x = 3; x <= 7; x++) {
        px[y * 12 + x] = true;
      }
    }
    px[9 * 12 + 11] = true;
    final BinaryMask m = new BinaryMask(10, 12, px);
    assertThat(m.boundingBox()).isEqualTo(new PixelBox(3, 2, 11, 9));
    assertThat(Components.of(m, 1)).hasSize(2);
    assertThat(Components.of(m, 2)).hasSize(1).first().extracting(BinaryMask::area).isEqualTo(15L);
    final ModelSpace space = new ModelSpace(24, 6, false);
    final float[] target = space.lowResTarget(m);
    double covered = 0;
    for (final float v : target) {
      assertThat(v).isBetween(0f, 1f);
      covered += v;
    }
    // the 6 x 6 target covers the 10 x 12 image: foreground share is kept within sampling error
    assertThat(covered / 36).isCloseTo(16.0 / 120, org.assertj.core.data.Offset.offset(0.03));
    assertThat(space.toModel(new PixelBox(6, 5, 12, 10), 10, 12)).containsExactly(12f, 12f, 24f, 24f);
  }
}
