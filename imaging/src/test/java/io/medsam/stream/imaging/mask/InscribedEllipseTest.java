package io.medsam.stream.imaging.mask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medsam.stream.imaging.preprocess.PixelBox;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link InscribedEllipse} against {@code inscribed_ellipse} of {@code
 * model/medsam_model/metrics.py}. Every expected raster ('#' inside) was printed by Debian's
 * /usr/bin/python3 (numpy 1.24.2) from {@code model/}:
 *
 * <pre>
 * from medsam_model.metrics import inscribed_ellipse as e
 * for r in e(box, h, w): print('"' + ''.join('#' if v else '.' for v in r) + '",')
 * </pre>
 */
class InscribedEllipseTest {

  private static void assertPython(
      final PixelBox box, final int height, final int width, final String... rows) {
    assertThat(rows).hasSize(height);
    final List<String> actual = new ArrayList<>();
    final BinaryMask mask = InscribedEllipse.of(box, height, width);
    for (int r = 0; r < height; r++) {
      final StringBuilder line = new StringBuilder();
      for (int c = 0; c < width; c++) {
        line.append(mask.get(r, c) ? '#' : '.');
      }
      actual.add(line.toString());
    }
    assertThat(actual).as("ellipse in %s on %dx%d", box, height, width).containsExactly(rows);
  }

  @Test
  void oddSidedBoxesCentreOnAPixel() {
    assertPython(
        new PixelBox(2, 1, 8, 5),
        7,
        11,
        "...........",
        "...#####...",
        "..#######..",
        "..#######..",
        "..#######..",
        "...#####...",
        "...........");
  }

  @Test
  void evenSidedBoxesCentreBetweenPixels() {
    assertPython(
        new PixelBox(1, 1, 6, 4),
        6,
        8,
        "........",
        "..####..",
        ".######.",
        ".######.",
        "..####..",
        "........");
    assertPython(
        new PixelBox(2, 1, 3, 7),
        9,
        6,
        "......",
        "..##..",
        "..##..",
        "..##..",
        "..##..",
        "..##..",
        "..##..",
        "..##..",
        "......");
  }

  @Test
  void onePixelWideBoxesGiveALine() {
    // vertical, touching the top and the bottom edge
    assertPython(
        new PixelBox(3, 0, 3, 5),
        6,
        7,
        "...#...",
        "...#...",
        "...#...",
        "...#...",
        "...#...",
        "...#...");
    // horizontal, touching the left edge
    assertPython(
        new PixelBox(0, 2, 4, 2), 5, 7, ".......", ".......", "#####..", ".......", ".......");
    // one pixel in the corner
    assertPython(new PixelBox(0, 0, 0, 0), 3, 3, "#..", "...", "...");
  }

  @Test
  void boxesOnTheImageEdgeAreClippedToIt() {
    assertPython(
        new PixelBox(0, 0, 8, 5),
        6,
        9,
        "..#####..",
        ".#######.",
        "#########",
        "#########",
        ".#######.",
        "..#####..");
    assertPython(
        new PixelBox(5, 3, 9, 6),
        7,
        10,
        "..........",
        "..........",
        "..........",
        "......###.",
        ".....#####",
        ".....#####",
        "......###.");
  }

  @Test
  void fractionalBoxesFollowTheSameArithmetic() {
    // (0.5, 2, 4.5, 2): columns 0 and 5 lie exactly on the ellipse (u = -1 and 1, v = 0) and
    // count as inside, so the line is one pixel longer than the box on each side
    assertPython(
        new PixelBox(0.5, 2, 4.5, 2), 5, 6, "......", "......", "######", "......", "......");
    assertPython(
        new PixelBox(1.5, 0.5, 6.0, 4.25),
        6,
        8,
        "........",
        "..####..",
        "..#####.",
        "..#####.",
        "..####..",
        "........");
  }

  @Test
  void aLargeBoxMatchesPythonRowByRow() {
    // model/tests/test_metrics.py's box; per row, the first and last column inside:
    // m = e((20, 10, 119, 69), 100, 150); [np.nonzero(m[r])[0][[0, -1]] for r in range(10, 70)]
    final int[] first = {
      61, 54, 50, 47, 44, 41, 39, 37, 35, 33, 32, 31, 29, 28, 27, 26, 25, 25, 24, 23, 23, 22, 22,
      21, 21, 21, 20, 20, 20, 20, 20, 20, 20, 20, 21, 21, 21, 22, 22, 23, 23, 24, 25, 25, 26, 27,
      28, 29, 31, 32, 33, 35, 37, 39, 41, 44, 47, 50, 54, 61
    };
    final int[] last = {
      78, 85, 89, 92, 95, 98, 100, 102, 104, 106, 107, 108, 110, 111, 112, 113, 114, 114, 115, 116,
      116, 117, 117, 118, 118, 118, 119, 119, 119, 119, 119, 119, 119, 119, 118, 118, 118, 117, 117,
      116, 116, 115, 114, 114, 113, 112, 111, 110, 108, 107, 106, 104, 102, 100, 98, 95, 92, 89, 85,
      78
    };
    final BinaryMask mask = InscribedEllipse.of(new PixelBox(20, 10, 119, 69), 100, 150);
    assertThat(mask.area()).isEqualTo(4716); // int(m.sum())
    assertThat(mask.boundingBox()).contains(new PixelBox(20, 10, 119, 69));
    for (int r = 10; r < 70; r++) {
      for (int c = 0; c < 150; c++) {
        assertThat(mask.get(r, c))
            .as("row %d col %d", r, c)
            .isEqualTo(c >= first[r - 10] && c <= last[r - 10]);
      }
    }
  }

  @Test
  void invertedOrNonFiniteBoxesAreRefused() {
    assertThatThrownBy(() -> InscribedEllipse.of(new PixelBox(4, 0, 3, 2), 5, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[4.0, 0.0, 3.0, 2.0]");
    assertThatThrownBy(() -> InscribedEllipse.of(new PixelBox(0, Double.NaN, 3, 2), 5, 5))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
