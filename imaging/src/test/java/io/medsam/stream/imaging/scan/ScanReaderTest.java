package io.medsam.stream.imaging.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medsam.stream.imaging.ImageFormatException;
import io.medsam.stream.imaging.Slice2D;
import io.medsam.stream.imaging.SliceAxis;
import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.preprocess.IntensityWindow;
import io.medsam.stream.imaging.preprocess.VolumeSlicer;
import io.medsam.stream.imaging.testing.DicomFixtures;
import io.medsam.stream.imaging.testing.NiftiFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Format detection and the whole ingest preprocessing on real files, checked against numpy. */
class ScanReaderTest {
  @TempDir Path tmp;

  @Test
  void detectsFormatsByContent() throws Exception {
    assertThat(ScanReader.detect(NiftiFixtures.TEMPLATES.resolve("ch2.nii.gz")))
        .isEqualTo(ScanFormat.NIFTI);
    assertThat(ScanReader.detect(DicomFixtures.PYDICOM_FILES.resolve("CT_small.dcm")))
        .isEqualTo(ScanFormat.DICOM);
    assertThat(ScanReader.detect(tmp)).isEqualTo(ScanFormat.DICOM_SERIES);
    final Path png = tmp.resolve("image.bin");
    Files.write(
        png,
        io.medsam.stream.imaging.mask.MaskPng.toPng(
            io.medsam.stream.imaging.mask.BinaryMask.empty(2, 2)));
    assertThat(ScanReader.detect(png)).isEqualTo(ScanFormat.RASTER);
    final Path txt = Files.writeString(tmp.resolve("notes.txt"), "hello, not an image");
    assertThatThrownBy(() -> ScanReader.detect(txt))
        .isInstanceOf(ImageFormatException.class)
        .hasMessageContaining("unrecognised format");
  }

  @Test
  void ch2SlicesMatchMedsamPreprocessingInNumpy() throws Exception {
    // /usr/bin/python3: a = nib.load(ch2).get_fdata(); lo, hi = percentiles 0.5/99.5 of a[a>0];
    // pre = clip(a, lo, hi); pre = (pre - pre.min()) / (pre.max() - pre.min()) * 255;
    // pre[a == 0] = 0; u = np.uint8(pre); slices per CONVENTIONS: axial u[:, :, 90].T,
    // coronal u[:, 100, :].T, sagittal u[80, :, :].T ->
    //   axial90 (217, 181) sum 2912095, [100, 90] = 31, [50, 60] = 153
    //   coronal100 (181, 181) sum 2521543, [100, 90] = 140, [50, 60] = 83
    //   sagittal80 (181, 217) sum 2867870, [100, 90] = 140, [50, 60] = 101
    final Volume v = ScanReader.readVolume(NiftiFixtures.TEMPLATES.resolve("ch2.nii.gz"));
    final IntensityWindow w = IntensityWindow.forScan(v);
    check(VolumeSlicer.slice(v, SliceAxis.AXIAL, 90, w), 217, 181, 2912095, 31, 153);
    check(VolumeSlicer.slice(v, SliceAxis.CORONAL, 100, w), 181, 181, 2521543, 140, 83);
    check(VolumeSlicer.slice(v, SliceAxis.SAGITTAL, 80, w), 181, 217, 2867870, 140, 101);
  }

  @Test
  void ctSliceIsWindowedInHounsfieldUnits() throws Exception {
    final Volume v = ScanReader.readVolume(DicomFixtures.PYDICOM_FILES.resolve("CT_small.dcm"));
    assertThat(v.metadata().isCt()).isTrue();
    final Slice2D s = VolumeSlicer.slice(v, SliceAxis.AXIAL, 0, IntensityWindow.forScan(v));
    // HU[64,64] = 904 -> (904 + 500) / 1500 * 255 = 238.68 -> 238; HU[0,0] = -849 -> 0
    assertThat(s.at(64, 64, 0)).isEqualTo(238);
    assertThat(s.at(0, 0, 0)).isEqualTo(0);
    assertThat(s.rowSpacing()).isEqualTo(0.661468);
    // Axial position: the slice normal's world coordinate, z = -75.699997 mm.
    assertThat(s.position()).isEqualTo(-75.699997);
  }

  private static void check(
      final Slice2D s,
      final int h,
      final int w,
      final long sum,
      final int at10090,
      final int at5060) {
    assertThat(new int[] {s.height(), s.width()}).containsExactly(h, w);
    long total = 0;
    for (final byte b : s.pixels()) {
      total += b & 0xff;
    }
    assertThat(total).isEqualTo(sum);
    assertThat(s.at(100, 90, 0)).isEqualTo(at10090);
    assertThat(s.at(50, 60, 0)).isEqualTo(at5060);
  }
}
