package io.medsam.stream.imaging.preprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.nifti.NiftiReader;
import io.medsam.stream.imaging.testing.NiftiFixtures;
import org.junit.jupiter.api.Test;

class IntensityWindowTest {

  @Test
  void ctWindowClipsScalesAndTruncates() {
    final IntensityWindow w = IntensityWindow.ctDefault();
    assertThat(w.toUint8(-1000f)).isEqualTo(0);
    assertThat(w.toUint8(-500f)).isEqualTo(0);
    // (250 + 500) / 1500 * 255 = 127.5 -> 127 (np.uint8 truncates)
    assertThat(w.toUint8(250f)).isEqualTo(127);
    assertThat(w.toUint8(0f)).isEqualTo(85);
    assertThat(w.toUint8(1000f)).isEqualTo(255);
    assertThat(w.toUint8(3000f)).isEqualTo(255);
  }

  @Test
  void percentileMatchesNumpyLinearInterpolation() {
    // numpy: p = a[a > 0] for a = [3,1,4,1,5,9,2,6,0,0,-2]; np.percentile(p, 0.5) = 1.0,
    // np.percentile(p, 99.5) = 8.895, np.percentile(p, 50) = 3.5, np.percentile(p, 25) = 1.75
    final float[] a = {3, 1, 4, 1, 5, 9, 2, 6, 0, 0, -2};
    final IntensityWindow w = IntensityWindow.percentileOfPositive(a, 0.5, 99.5);
    assertThat(w.lower()).isEqualTo(1.0);
    assertThat(w.upper()).isCloseTo(8.895, org.assertj.core.api.Assertions.within(1e-9));
    final IntensityWindow median = IntensityWindow.percentileOfPositive(a, 25, 50);
    assertThat(median.lower()).isEqualTo(1.75);
    assertThat(median.upper()).isEqualTo(3.5);
  }

  @Test
  void zerosStayZeroAndValuesBelowTheLowerBoundClipUp() {
    final IntensityWindow w = new IntensityWindow(10, 110, true);
    assertThat(w.toUint8(0f)).isEqualTo(0);
    assertThat(w.toUint8(-5f)).isEqualTo(0);
    assertThat(w.toUint8(5f)).isEqualTo(0);
    assertThat(w.toUint8(60f)).isEqualTo(127);
    assertThat(w.toUint8(200f)).isEqualTo(255);
    assertThat(w.apply(new float[] {0, 110, 35})).containsExactly(0, (byte) 255, 63);
  }

  @Test
  void degenerateWindowsAreDefined() {
    assertThat(
            IntensityWindow.percentileOfPositive(new float[] {0, 0, -1}, 0.5, 99.5)
                .apply(new float[] {0, -1}))
        .containsExactly(0, 0);
    final IntensityWindow constant =
        IntensityWindow.percentileOfPositive(new float[] {0, 1, 1, 1}, 0.5, 99.5);
    assertThat(constant.apply(new float[] {0, 1})).containsExactly(0, (byte) 255);
  }

  @Test
  void ch2TemplatePercentilesMatchNumpy() throws Exception {
    // /usr/bin/python3: a = nib.load('ch2.nii.gz').get_fdata(); nz = a[a != 0];
    // np.percentile(nz, 0.5) = 10.0, np.percentile(nz, 99.5) = 188.0 (ch2 has no negatives)
    final Volume v = NiftiReader.read(NiftiFixtures.TEMPLATES.resolve("ch2.nii.gz"));
    final IntensityWindow w = IntensityWindow.forScan(v);
    assertThat(w.lower()).isEqualTo(10.0);
    assertThat(w.upper()).isEqualTo(188.0);
    assertThat(w.keepZeros()).isTrue();
  }
}
