package io.medsam.stream.imaging.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.medsam.stream.imaging.mask.BinaryMask;
import org.junit.jupiter.api.Test;

class SegmentationMetricsTest {

  private static BinaryMask disc(
      final int size, final double cx, final double cy, final double radius) {
    final boolean[] px = new boolean[size * size];
    for (int r = 0; r < size; r++) {
      for (int c = 0; c < size; c++) {
        px[r * size + c] = Math.hypot(r - cy, c - cx) <= radius;
      }
    }
    return new BinaryMask(px, size, size);
  }

  private static BinaryMask rect(final int h, final int w, final int rows, final int cols) {
    final boolean[] px = new boolean[h * w];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        px[r * w + c] = true;
      }
    }
    return new BinaryMask(px, h, w);
  }

  @Test
  void diceOnKnownOverlaps() {
    // 10x10 square vs the same square shifted by 5 columns: overlap 50, 2*50/(100+100) = 0.5
    final boolean[] a = new boolean[20 * 20];
    final boolean[] b = new boolean[20 * 20];
    for (int r = 0; r < 10; r++) {
      for (int c = 0; c < 10; c++) {
        a[r * 20 + c] = true;
        b[r * 20 + c + 5] = true;
      }
    }
    assertThat(SegmentationMetrics.dice(a, b)).isEqualTo(0.5);
    assertThat(SegmentationMetrics.dice(a, a)).isEqualTo(1.0);
    // 4-pixel mask inside a 12-pixel mask: 2*4/(4+12) = 0.5
    assertThat(SegmentationMetrics.dice(rect(5, 5, 2, 2), rect(5, 5, 3, 4))).isEqualTo(0.5);
  }

  @Test
  void emptyMasksAreDefined() {
    final BinaryMask empty = BinaryMask.empty(8, 8);
    final BinaryMask some = rect(8, 8, 2, 2);
    assertThat(SegmentationMetrics.dice(empty, empty)).isEqualTo(1.0);
    assertThat(SegmentationMetrics.nsd(empty, empty, 1, 1, 1)).isEqualTo(1.0);
    assertThat(SegmentationMetrics.dice(empty, some)).isEqualTo(0.0);
    assertThat(SegmentationMetrics.nsd(empty, some, 1, 1, 1)).isEqualTo(0.0);
  }

  @Test
  void concentricDiscsCloserThanTheToleranceGiveOne() {
    // Radii 20 and 21 px at 1 mm: every boundary pixel of one disc lies within ~1.5 mm of the
    // other's boundary, under the 2 mm tolerance.
    final BinaryMask a = disc(101, 50, 50, 20);
    final BinaryMask b = disc(101, 50, 50, 21);
    assertThat(SegmentationMetrics.nsd(a, b, 1.0, 1.0, 2.0)).isEqualTo(1.0);
    assertThat(SegmentationMetrics.nsd(b, a, 1.0, 1.0, 2.0)).isEqualTo(1.0);
  }

  @Test
  void concentricDiscsFartherThanTheToleranceGiveZero() {
    // Radii 10 and 20 px at 1 mm: A's boundary pixels lie at radius in (9, 10], B's in (19, 20],
    // so every cross distance is at least 9 mm > 2 mm: no surface pixel counts, NSD = 0 / n = 0.
    final BinaryMask a = disc(61, 30, 30, 10);
    final BinaryMask b = disc(61, 30, 30, 20);
    assertThat(SegmentationMetrics.nsd(a, b, 1.0, 1.0, 2.0)).isEqualTo(0.0);
    assertThat(SegmentationMetrics.dice(a, b)).isBetween(0.3, 0.5);
  }

  @Test
  void rectanglesGiveTheHandDerivedValue() {
    // A = rows 0..9 x cols 0..19, B = rows 0..11 x cols 0..19, 1 mm pixels, tolerance 1 mm.
    // Surfaces: |S_A| = 2*20 + 2*8 = 56, |S_B| = 2*20 + 2*10 = 60.
    // S_A within 1 mm of S_B: row 0 (20) and side pixels of rows 1..8 (16) lie on S_B; in row 9
    //   cols 0 and 19 lie on B's sides and cols 1 and 18 are 1 mm from them (4); cols 2..17 are
    //   at least 2 mm from S_B -> 40.
    // S_B within 1 mm of S_A: row 0 (20) and side pixels of rows 1..9 (18) lie on S_A; side
    //   pixels of row 10 are 1 mm from A's corners (2); row 11 is 2 mm from A -> 40.
    // NSD = (40 + 40) / (56 + 60) = 80 / 116.
    final BinaryMask a = rect(16, 24, 10, 20);
    final BinaryMask b = rect(16, 24, 12, 20);
    assertThat(SegmentationMetrics.nsd(a, b, 1.0, 1.0, 1.0)).isCloseTo(80.0 / 116, within(1e-12));
    // With 0.5 mm rows the two extra rows of B are 0.5 and 1.0 mm away: everything counts.
    assertThat(SegmentationMetrics.nsd(a, b, 0.5, 1.0, 1.0)).isEqualTo(1.0);
    // With 0.5 mm columns, A's bottom-row pixels at cols 1, 2, 17, 18 are 0.5 or 1 mm from B's
    // side columns (4 instead of 2); B's counts are unchanged (row 11 is still 2 mm from A):
    // (42 + 40) / 116.
    assertThat(SegmentationMetrics.nsd(a, b, 1.0, 0.5, 1.0)).isCloseTo(82.0 / 116, within(1e-12));
  }

  @Test
  void concentricSpheresIn3dWithAnisotropicSpacing() {
    // Spheres of radius 8 and 9 mm on a 0.5 x 1 x 2 mm grid: 1 mm apart, tolerance 2.5 mm -> 1;
    // radius 4 vs 9 mm: at least ~3.5 mm apart with tolerance 1 mm -> 0.
    final VoxelGrid g = new VoxelGrid(48, 24, 12, 0.5, 1.0, 2.0);
    final boolean[] s8 = sphere(g, 8);
    final boolean[] s9 = sphere(g, 9);
    final boolean[] s4 = sphere(g, 4);
    assertThat(SegmentationMetrics.nsd(s8, s9, g, 2.5)).isEqualTo(1.0);
    assertThat(SegmentationMetrics.nsd(s4, s9, g, 1.0)).isEqualTo(0.0);
  }

  @Test
  void croppingToTheMasksDoesNotChangeBoundaries() {
    // A single-slice blob in a 5-slice volume: every voxel is on the surface (its k +- 1
    // neighbours are background), unlike the same blob in a 1-slice grid.
    final VoxelGrid g3 = new VoxelGrid(6, 6, 5, 1, 1, 1);
    final boolean[] a = new boolean[g3.size()];
    final boolean[] b = new boolean[g3.size()];
    for (int j = 1; j < 5; j++) {
      for (int i = 1; i < 5; i++) {
        a[i + 6 * (j + 6 * 2)] = true;
        b[i + 6 * (j + 6 * 2)] = i < 4;
      }
    }
    // S_A = 16 voxels, S_B = 12; with tolerance 0.5 mm only coincident surface voxels count:
    // S_B is all inside S_A (12), and S_A's column i = 4 (4 voxels) is 1 mm from B -> 24 / 28.
    assertThat(SegmentationMetrics.nsd(a, b, g3, 0.5)).isCloseTo(24.0 / 28, within(1e-12));
  }

  private static boolean[] sphere(final VoxelGrid g, final double radiusMm) {
    final boolean[] m = new boolean[g.size()];
    for (int k = 0; k < g.nz(); k++) {
      for (int j = 0; j < g.ny(); j++) {
        for (int i = 0; i < g.nx(); i++) {
          final double x = (i - (g.nx() - 1) / 2.0) * g.dx();
          final double y = (j - (g.ny() - 1) / 2.0) * g.dy();
          final double z = (k - (g.nz() - 1) / 2.0) * g.dz();
          m[i + g.nx() * (j + g.ny() * k)] = x * x + y * y + z * z <= radiusMm * radiusMm;
        }
      }
    }
    return m;
  }
}
