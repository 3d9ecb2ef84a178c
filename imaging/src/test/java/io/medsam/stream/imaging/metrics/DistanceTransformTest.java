package io.medsam.stream.imaging.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.nifti.NiftiReader;
import io.medsam.stream.imaging.testing.NiftiFixtures;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DistanceTransformTest {

  @Test
  void matchesBruteForceOnRandomAnisotropicGrids() {
    final Random rnd = new Random(7);
    for (int t = 0; t < 20; t++) {
      final VoxelGrid g =
          new VoxelGrid(
              1 + rnd.nextInt(9),
              1 + rnd.nextInt(9),
              1 + rnd.nextInt(7),
              0.3 + rnd.nextDouble() * 2,
              0.3 + rnd.nextDouble() * 2,
              0.3 + rnd.nextDouble() * 3);
      final boolean[] f = new boolean[g.size()];
      for (int n = 0; n < f.length; n++) {
        f[n] = rnd.nextDouble() < 0.05;
      }
      final double[] fast = DistanceTransform.squared(f, g);
      for (int n = 0; n < f.length; n++) {
        assertThat(fast[n]).isCloseTo(bruteForce(f, g, n), within(1e-9));
      }
    }
  }

  @Test
  void noFeaturesMeansInfiniteDistance() {
    final VoxelGrid g = new VoxelGrid(3, 2, 2, 1, 1, 1);
    assertThat(DistanceTransform.squared(new boolean[12], g))
        .containsOnly(Double.POSITIVE_INFINITY);
  }

  @Test
  void nsdOfAalRegionsRunsOnTheFullGrid() throws Exception {
    // 181 x 217 x 181 at 1 mm: label 30 against labels 29..31 together; the metric must be
    // symmetric, in [0, 1], and 1 for a region against itself.
    final Volume aal = NiftiReader.read(NiftiFixtures.TEMPLATES.resolve("aal.nii.gz"));
    final VoxelGrid g = new VoxelGrid(aal.nx(), aal.ny(), aal.nz(), aal.dx(), aal.dy(), aal.dz());
    final boolean[] a = new boolean[g.size()];
    final boolean[] b = new boolean[g.size()];
    for (int n = 0; n < a.length; n++) {
      final float v = aal.voxels()[n];
      a[n] = v == 30;
      b[n] = v >= 29 && v <= 31;
    }
    final long start = System.nanoTime();
    final double ab = SegmentationMetrics.nsd(a, b, g, 1.0);
    final double millis = (System.nanoTime() - start) / 1e6;
    assertThat(ab).isStrictlyBetween(0.0, 1.0);
    assertThat(SegmentationMetrics.nsd(b, a, g, 1.0)).isEqualTo(ab);
    assertThat(SegmentationMetrics.nsd(a, a, g, 1.0)).isEqualTo(1.0);
    System.out.printf("NSD on 181x217x181: %.1f ms, value %.4f%n", millis, ab);
  }

  private static double bruteForce(final boolean[] f, final VoxelGrid g, final int n) {
    final int i = n % g.nx();
    final int j = (n / g.nx()) % g.ny();
    final int k = n / (g.nx() * g.ny());
    double best = Double.POSITIVE_INFINITY;
    for (int m = 0; m < f.length; m++) {
      if (!f[m]) {
        continue;
      }
      final double dx = (m % g.nx() - i) * g.dx();
      final double dy = ((m / g.nx()) % g.ny() - j) * g.dy();
      final double dz = (m / (g.nx() * g.ny()) - k) * g.dz();
      best = Math.min(best, dx * dx + dy * dy + dz * dz);
    }
    return best;
  }
}
