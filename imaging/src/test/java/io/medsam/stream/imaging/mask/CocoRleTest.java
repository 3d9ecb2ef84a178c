package io.medsam.stream.imaging.mask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medsam.stream.imaging.ImageFormatException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * pycocotools conventions. pycocotools is not installed here, so reference strings are derived by
 * hand from its rleToString (maskApi.c), shown step by step in each test.
 */
class CocoRleTest {

  private static BinaryMask mask(final int h, final int w, final int... rowMajor) {
    final boolean[] px = new boolean[h * w];
    for (int i = 0; i < px.length; i++) {
      px[i] = rowMajor[i] != 0;
    }
    return new BinaryMask(px, h, w);
  }

  @Test
  void oneBySevenMaskEncodesToZeroSixOne() {
    final CocoRle rle = CocoRle.encode(mask(1, 7, 1, 1, 1, 1, 1, 1, 0));
    assertThat(rle.counts()).containsExactly(0, 6, 1);
    // counts 0, 6, 1 are single 5-bit groups without sign bit: chars 48+0, 48+6, 48+1
    assertThat(rle.toCompressedString()).isEqualTo("061");
    assertThat(rle.area()).isEqualTo(6);
  }

  @Test
  void orderIsColumnMajor() throws Exception {
    // [[1,0],[1,1]] read down each column: 1,1 | 0,1 -> counts [0,2,1,1].
    final CocoRle rle = CocoRle.encode(mask(2, 2, 1, 0, 1, 1));
    assertThat(rle.counts()).containsExactly(0, 2, 1, 1);
    // 4th count is delta-coded: 1 - counts[1] = -1 -> low 5 bits 11111 = 31, x >> 5 = -1 and
    // the sign bit (0x10) is set, so no more groups: char 48 + 31 = 'O'.
    assertThat(rle.toCompressedString()).isEqualTo("021O");
    assertThat(CocoRle.fromCompressedString("021O", 2, 2).decode())
        .isEqualTo(mask(2, 2, 1, 0, 1, 1));
  }

  @Test
  void multiGroupCountsAndPositiveDeltas() throws Exception {
    // counts [5, 40, 3, 50] on a 7x14 mask (98 pixels):
    //   5 -> '5'; 40 = 0b01000|1<<5: group 8 with 0x20 (more) -> 48+40 = 'X', then 1 -> '1';
    //   3 -> '3'; 50 - 40 = 10 -> ':' (48 + 10).
    final CocoRle rle = new CocoRle(7, 14, new long[] {5, 40, 3, 50});
    assertThat(rle.toCompressedString()).isEqualTo("5X13:");
    assertThat(CocoRle.fromCompressedString("5X13:", 7, 14)).isEqualTo(rle);
    // 0-run of 0 then a large count: 1000 = 8 | 31<<5: groups 8 (more) 31 -> but 31 has the sign
    // bit, so a third group 0 follows: 'X', 'o' (48+31+32), '0'.
    final CocoRle big = new CocoRle(1, 1000, new long[] {0, 1000});
    assertThat(big.toCompressedString()).isEqualTo("0Xo0");
    assertThat(CocoRle.fromCompressedString("0Xo0", 1, 1000)).isEqualTo(big);
  }

  @Test
  void randomMasksRoundTripThroughCountsAndString() throws Exception {
    final Random rnd = new Random(42);
    for (int t = 0; t < 200; t++) {
      final int h = 1 + rnd.nextInt(60);
      final int w = 1 + rnd.nextInt(60);
      final double density = rnd.nextDouble();
      final boolean[] px = new boolean[h * w];
      // Blobs and noise so runs range from 1 to thousands (multi-group, negative deltas).
      final int r0 = rnd.nextInt(h);
      final int c0 = rnd.nextInt(w);
      for (int i = 0; i < px.length; i++) {
        final int r = i / w;
        final int c = i % w;
        px[i] = (Math.abs(r - r0) + Math.abs(c - c0) < h / 3) ^ (rnd.nextDouble() < density / 8);
      }
      final BinaryMask m = new BinaryMask(px, h, w);
      final CocoRle rle = CocoRle.encode(m);
      assertThat(rle.decode()).isEqualTo(m);
      assertThat(rle.area()).isEqualTo(m.area());
      final CocoRle parsed = CocoRle.fromCompressedString(rle.toCompressedString(), h, w);
      assertThat(parsed).isEqualTo(rle);
    }
  }

  @Test
  void emptyAndFullMasks() {
    assertThat(CocoRle.encode(BinaryMask.empty(3, 4)).counts()).containsExactly(12);
    assertThat(CocoRle.encode(mask(1, 3, 1, 1, 1)).counts()).containsExactly(0, 3);
  }

  @Test
  void malformedStringsAreRefused() {
    assertThatThrownBy(() -> CocoRle.fromCompressedString("06~", 1, 7, "mask of prompt p1"))
        .isInstanceOf(ImageFormatException.class)
        .hasMessage("mask of prompt p1: invalid RLE character '~' at position 2");
    assertThatThrownBy(() -> CocoRle.fromCompressedString("0X", 1, 7))
        .isInstanceOf(ImageFormatException.class)
        .hasMessageContaining("ends inside a count");
    assertThatThrownBy(() -> CocoRle.fromCompressedString("062", 1, 7))
        .isInstanceOf(ImageFormatException.class)
        .hasMessageContaining("RLE counts sum to 8 but the mask is 1x7 = 7 pixels");
  }
}
