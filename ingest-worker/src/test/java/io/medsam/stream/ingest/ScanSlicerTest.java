package io.medsam.stream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.medsam.stream.avro.ImageSlice;
import io.medsam.stream.avro.ScanEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Java slicing and intensity preprocessing against the Python golden and real files. */
class ScanSlicerTest {

  private static final Path CH2 = Path.of("/usr/share/mricron/templates/ch2.nii.gz");
  private static final Path PYDICOM =
      Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");

  private static Path golden() {
    final String root = System.getProperty("medsam.repo.root", "..");
    return Path.of(root).resolve("model/testdata/golden");
  }

  /**
   * Tolerance: exact. Both sides clip with the same float64 percentiles and truncate to uint8; a
   * voxel whose scaled value lies within float rounding of an integer could differ by one, so the
   * test also reports how many pixels differ and allows at most 0.1 % to differ by 1.
   */
  @Test
  void ch2AxialSlice90MatchesPythonGoldenPixels() throws Exception {
    final JsonNode index = new ObjectMapper().readTree(golden().resolve("golden.json").toFile());
    final JsonNode pre = index.get("preprocessing");
    final byte[] expected =
        Files.readAllBytes(golden().resolve(pre.get("pixels").get("file").asText()));

    final ScanEvent scan = ScanPublisher.describe(CH2, "MR", "axial");
    final List<ImageSlice> slices = new ScanSlicer().slice(scan);

    assertThat(slices).hasSize(181);
    final ImageSlice slice = slices.get(pre.get("index").asInt());
    assertThat(slice.getSliceKey()).isEqualTo(scan.getSeriesUid() + "/axial/90");
    assertThat(slice.getHeight()).isEqualTo(pre.get("height").asInt()).isEqualTo(217);
    assertThat(slice.getWidth()).isEqualTo(pre.get("width").asInt()).isEqualTo(181);
    final byte[] actual = new byte[slice.getPixels().remaining()];
    slice.getPixels().duplicate().get(actual);
    assertThat(actual).hasSameSizeAs(expected);
    int differing = 0;
    for (int i = 0; i < actual.length; i++) {
      final int d = Math.abs((actual[i] & 0xff) - (expected[i] & 0xff));
      assertThat(d).as("pixel %d", i).isLessThanOrEqualTo(1);
      differing += d;
    }
    System.out.printf(
        "ch2 axial 90: %d of %d pixels differ from Python (by 1)%n", differing, actual.length);
    assertThat(differing).isLessThanOrEqualTo(actual.length / 1000);
  }

  @Test
  void allAxesFollowTheSlicingConvention() throws Exception {
    final ScanEvent scan = ScanPublisher.describe(CH2, "MR", "all");
    final List<ImageSlice> slices = new ScanSlicer().slice(scan);
    assertThat(slices).hasSize(181 + 217 + 181);
    final ImageSlice coronal = slices.get(181);
    final ImageSlice sagittal = slices.get(181 + 217);
    assertThat(coronal.getSliceKey()).endsWith("/coronal/0");
    assertThat(coronal.getHeight()).isEqualTo(181);
    assertThat(coronal.getWidth()).isEqualTo(181);
    assertThat(sagittal.getSliceKey()).endsWith("/sagittal/0");
    assertThat(sagittal.getHeight()).isEqualTo(181);
    assertThat(sagittal.getWidth()).isEqualTo(217);
  }

  @Test
  void requestedSlicesAreTheOnlyOnesInTheOrderGiven() throws Exception {
    final ScanEvent scan = ScanPublisher.describe(CH2, "MR", "all", List.of(90, 3));
    final List<ImageSlice> slices = new ScanSlicer().slice(scan);
    assertThat(slices)
        .extracting(ImageSlice::getSliceKey)
        .containsExactly(
            scan.getSeriesUid() + "/axial/90",
            scan.getSeriesUid() + "/axial/3",
            scan.getSeriesUid() + "/coronal/90",
            scan.getSeriesUid() + "/coronal/3",
            scan.getSeriesUid() + "/sagittal/90",
            scan.getSeriesUid() + "/sagittal/3");
  }

  @Test
  void aRequestedSliceOutOfRangeNamesTheIndexAndTheCount() throws Exception {
    final ScanEvent scan = ScanPublisher.describe(CH2, "MR", "axial", List.of(181));
    assertThatThrownBy(() -> new ScanSlicer().slice(scan))
        .isInstanceOf(UnreadableScanException.class)
        .hasMessageContaining("axial slice 181")
        .hasMessageContaining("has 181 axial slices");
  }

  @Test
  void seriesIdIsStableForTheSameFileAndUsesTheDicomUid() throws Exception {
    final String a = ScanPublisher.describe(CH2, "MR", "axial").getSeriesUid();
    final String b = ScanPublisher.describe(CH2, "MR", "axial").getSeriesUid();
    assertThat(a).isEqualTo(b).matches("sha256-[0-9a-f]{32}");
    assertThat(
            ScanPublisher.describe(PYDICOM.resolve("CT_small.dcm"), null, "axial").getSeriesUid())
        .matches("[0-9]+(\\.[0-9]+)+");
  }

  @Test
  void compressedDicomIsRefusedWithItsTransferSyntax() throws Exception {
    final ScanEvent scan = ScanPublisher.describe(PYDICOM.resolve("JPEG2000.dcm"), null, "axial");
    assertThatThrownBy(() -> new ScanSlicer().slice(scan))
        .isInstanceOf(UnreadableScanException.class)
        .hasMessageContaining("JPEG 2000")
        .hasMessageNotContaining("JPEG2000.dcm"); // the file goes by a hash, never its name
  }

  @Test
  void ctIsWindowedInHounsfieldUnitsWithTheEventsWindowOrTheDefault() throws Exception {
    final Path file = PYDICOM.resolve("CT_small.dcm");
    final float[] hu = io.medsam.stream.imaging.dicom.DicomReader.read(file).pixels();
    final ScanEvent scan = ScanPublisher.describe(file, null, "axial");
    final ImageSlice byDefault = new ScanSlicer().slice(scan).get(0);
    scan.setCtWindowLow(0.0);
    scan.setCtWindowHigh(100.0);
    final ImageSlice narrow = new ScanSlicer().slice(scan).get(0);

    assertThat(byDefault.getModality()).isEqualTo("CT");
    assertThat(byDefault.getSliceKey()).isEqualTo(scan.getSeriesUid() + "/axial/0");
    for (int i = 0; i < hu.length; i++) {
      assertThat(byDefault.getPixels().get(i) & 0xff).isEqualTo(window(hu[i], -500, 1000));
      assertThat(narrow.getPixels().get(i) & 0xff).isEqualTo(window(hu[i], 0, 100));
    }
  }

  private static int window(final float hu, final double low, final double high) {
    return (int) ((Math.min(Math.max(hu, low), high) - low) / (high - low) * 255.0);
  }

  @Test
  void rgbPngPassesThroughAsOne2dSlice(@org.junit.jupiter.api.io.TempDir final Path tmp)
      throws Exception {
    final java.awt.image.BufferedImage image =
        new java.awt.image.BufferedImage(5, 3, java.awt.image.BufferedImage.TYPE_INT_RGB);
    image.setRGB(4, 2, 0x102030);
    final Path png = tmp.resolve("endoscopy frame.png");
    javax.imageio.ImageIO.write(image, "png", png.toFile());

    final ScanEvent scan = ScanPublisher.describe(png, "ENDO", "axial");
    final List<ImageSlice> slices = new ScanSlicer().slice(scan);

    assertThat(scan.getSourceKind().name()).isEqualTo("IMAGE_2D");
    assertThat(scan.getAxes()).containsExactly("2d");
    assertThat(scan.getSeriesUid()).matches("sha256-[0-9a-f]{32}");
    assertThat(slices).hasSize(1);
    final ImageSlice slice = slices.get(0);
    assertThat(slice.getSliceKey()).isEqualTo(scan.getSeriesUid() + "/2d/0");
    assertThat(slice.getHeight()).isEqualTo(3);
    assertThat(slice.getWidth()).isEqualTo(5);
    assertThat(slice.getChannels()).isEqualTo(3);
    final int last = (2 * 5 + 4) * 3;
    assertThat(slice.getPixels().get(last) & 0xff).isEqualTo(0x10);
    assertThat(slice.getPixels().get(last + 1) & 0xff).isEqualTo(0x20);
    assertThat(slice.getPixels().get(last + 2) & 0xff).isEqualTo(0x30);
  }

  @Test
  void a2dImageHasSliceZeroOnly(@org.junit.jupiter.api.io.TempDir final Path tmp) throws Exception {
    final Path png = tmp.resolve("frame.png");
    javax.imageio.ImageIO.write(
        new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_BYTE_GRAY),
        "png",
        png.toFile());
    assertThat(new ScanSlicer().slice(ScanPublisher.describe(png, null, "2d", List.of(0))))
        .hasSize(1);
    assertThatThrownBy(
            () -> new ScanSlicer().slice(ScanPublisher.describe(png, null, "2d", List.of(1))))
        .isInstanceOf(UnreadableScanException.class)
        .hasMessageContaining("2d slice 1")
        .hasMessageContaining("has 1 2d slices");
  }

  @Test
  void dicomFolderIsReadAsOneSeries(@org.junit.jupiter.api.io.TempDir final Path tmp)
      throws Exception {
    final Path folder = Files.createDirectory(tmp.resolve("series"));
    Files.copy(PYDICOM.resolve("CT_small.dcm"), folder.resolve("IM0001"));
    Files.writeString(folder.resolve("README"), "not DICOM");

    final ScanEvent scan = ScanPublisher.describe(folder, null, "axial");
    final List<ImageSlice> slices = new ScanSlicer().slice(scan);

    assertThat(scan.getSourceKind().name()).isEqualTo("DICOM_SERIES");
    assertThat(scan.getSeriesUid())
        .isEqualTo(
            ScanPublisher.describe(PYDICOM.resolve("CT_small.dcm"), null, "axial").getSeriesUid());
    assertThat(slices).hasSize(1);
    assertThat(slices.get(0).getModality()).isEqualTo("CT");
    assertThat(slices.get(0).getSliceKey()).isEqualTo(scan.getSeriesUid() + "/axial/0");
  }
}
