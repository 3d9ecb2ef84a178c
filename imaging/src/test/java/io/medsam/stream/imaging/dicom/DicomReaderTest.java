package io.medsam.stream.imaging.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medsam.stream.imaging.ImageFormatException;
import io.medsam.stream.imaging.testing.DicomFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Real files from Debian's python3-pydicom. Expected numbers were printed with /usr/bin/python3:
 * {@code d = pydicom.dcmread(f); a = d.pixel_array; a * d.RescaleSlope + d.RescaleIntercept}, plus
 * d.PixelSpacing, d.ImagePositionPatient etc.
 */
class DicomReaderTest {
  private static final Path FILES = DicomFixtures.PYDICOM_FILES;

  @Test
  void ctSmallIsReadInHounsfieldUnits() throws Exception {
    final DicomInstance ct = DicomReader.read(FILES.resolve("CT_small.dcm"));
    assertThat(ct.transferSyntax()).isEqualTo(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    assertThat(ct.modality()).isEqualTo("CT");
    assertThat(ct.rows()).isEqualTo(128);
    assertThat(ct.columns()).isEqualTo(128);
    assertThat(ct.frames()).isEqualTo(1);
    assertThat(ct.rescaleSlope()).isEqualTo(1.0);
    assertThat(ct.rescaleIntercept()).isEqualTo(-1024.0);
    // pydicom: HU[0,0] = -849, HU[10,20] = -839, HU[100,50] = 16 (raw 1040), HU[127,127] = -115,
    // HU[64,64] = 904, min -896, max 1167, sum -1950906
    assertThat(ct.at(0, 0, 0)).isEqualTo(-849f);
    assertThat(ct.at(0, 10, 20)).isEqualTo(-839f);
    assertThat(ct.at(0, 100, 50)).isEqualTo(16f);
    assertThat(ct.at(0, 127, 127)).isEqualTo(-115f);
    assertThat(ct.at(0, 64, 64)).isEqualTo(904f);
    double sum = 0;
    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    for (final float v : ct.pixels()) {
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertThat(sum).isEqualTo(-1950906.0);
    assertThat(min).isEqualTo(-896f);
    assertThat(max).isEqualTo(1167f);
    assertThat(ct.pixelSpacing()).containsExactly(0.661468, 0.661468);
    assertThat(ct.imagePosition()).containsExactly(-158.135803, -179.035797, -75.699997);
    assertThat(ct.imageOrientation()).containsExactly(1, 0, 0, 0, 1, 0);
    assertThat(ct.sliceNormal()).containsExactly(0, 0, 1);
    assertThat(ct.sliceLocation()).isEqualTo(-77.2040634155);
    assertThat(ct.instanceNumber()).isEqualTo(1);
    assertThat(ct.seriesInstanceUid()).isEqualTo("1.3.6.1.4.1.5962.1.3.1.1.20040119072730.12322");
    assertThat(ct.sopInstanceUid()).isEqualTo("1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322");
  }

  @Test
  void mrSmallIsRead() throws Exception {
    final DicomInstance mr = DicomReader.read(FILES.resolve("MR_small.dcm"));
    assertThat(mr.modality()).isEqualTo("MR");
    assertThat(mr.rows()).isEqualTo(64);
    assertThat(mr.columns()).isEqualTo(64);
    assertThat(mr.rescaleSlope()).isEqualTo(1.0);
    assertThat(mr.rescaleIntercept()).isEqualTo(0.0);
    // pydicom: a[0,0] = 905, a[10,20] = 316, a[32,32] = 182, a[63,50] = 1510, a[63,63] = 862,
    // a.sum() = 2125338; PixelSpacing [0.3125, 0.3125]
    assertThat(mr.at(0, 0, 0)).isEqualTo(905f);
    assertThat(mr.at(0, 10, 20)).isEqualTo(316f);
    assertThat(mr.at(0, 32, 32)).isEqualTo(182f);
    assertThat(mr.at(0, 63, 50)).isEqualTo(1510f);
    assertThat(mr.at(0, 63, 63)).isEqualTo(862f);
    double sum = 0;
    for (final float v : mr.pixels()) {
      sum += v;
    }
    assertThat(sum).isEqualTo(2125338.0);
    assertThat(mr.pixelSpacing()).containsExactly(0.3125, 0.3125);
    assertThat(mr.imagePosition()).containsExactly(-83.9063, -91.2, 6.6406);
  }

  @Test
  void implicitVrCopyEqualsTheExplicitOne() throws Exception {
    final DicomInstance explicit = DicomReader.read(FILES.resolve("MR_small.dcm"));
    final DicomInstance implicit = DicomReader.read(FILES.resolve("MR_small_implicit.dcm"));
    assertThat(implicit.transferSyntax()).isEqualTo(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
    assertThat(implicit.pixels()).containsExactly(explicit.pixels());
    assertThat(implicit.pixelSpacing()).containsExactly(explicit.pixelSpacing());
    assertThat(implicit.imagePosition()).containsExactly(explicit.imagePosition());
    assertThat(implicit.seriesInstanceUid()).isEqualTo(explicit.seriesInstanceUid());
    assertThat(implicit.rows()).isEqualTo(64);
  }

  @Test
  void jpeg2000IsRefusedNamingTheTransferSyntax() {
    final Path f = FILES.resolve("JPEG2000.dcm");
    assertThatThrownBy(() -> DicomReader.read(f))
        .isInstanceOf(ImageFormatException.class)
        .hasMessageStartingWith(
            f
                + ": unsupported transfer syntax 1.2.840.10008.1.2.4.91 "
                + "(JPEG 2000 Image Compression)");
  }

  @Test
  void jpegLossyIsRefusedNamingTheTransferSyntax() {
    final Path f = FILES.resolve("JPEG-lossy.dcm");
    assertThatThrownBy(() -> DicomReader.read(f))
        .isInstanceOf(ImageFormatException.class)
        .hasMessageStartingWith(
            f
                + ": unsupported transfer syntax 1.2.840.10008.1.2.4.51 "
                + "(JPEG Extended (Process 2 and 4))");
  }

  @Test
  void rleAndJpegLsAndBigEndianAreRefusedByName() {
    assertThatThrownBy(() -> DicomReader.read(FILES.resolve("MR_small_RLE.dcm")))
        .hasMessageContaining("1.2.840.10008.1.2.5 (RLE Lossless)");
    assertThatThrownBy(() -> DicomReader.read(FILES.resolve("MR_small_jpeg_ls_lossless.dcm")))
        .hasMessageContaining("1.2.840.10008.1.2.4.80 (JPEG-LS Lossless Image Compression)");
    assertThatThrownBy(() -> DicomReader.read(FILES.resolve("ExplVR_BigEnd.dcm")))
        .isInstanceOf(ImageFormatException.class)
        .hasMessageContaining("1.2.840.10008.1.2.2 (Explicit VR Big Endian)");
  }

  @Test
  void truncatedRealFileIsRefused() {
    final Path f = FILES.resolve("MR_truncated.dcm");
    assertThatThrownBy(() -> DicomReader.read(f))
        .isInstanceOf(ImageFormatException.class)
        .hasMessageStartingWith(f + ": truncated file: element (7FE0,0010)");
  }

  @Test
  void truncatedHeaderIsRefused() throws Exception {
    final byte[] all = Files.readAllBytes(FILES.resolve("CT_small.dcm"));
    assertThatThrownBy(() -> DicomReader.read(Arrays.copyOf(all, 700), "cut.dcm"))
        .isInstanceOf(ImageFormatException.class)
        .hasMessageStartingWith("cut.dcm: truncated file");
  }

  @Test
  void garbledElementHeaderIsRefused() throws Exception {
    final byte[] all = Files.readAllBytes(FILES.resolve("MR_small.dcm"));
    // Overwrite the VR of Rows (0028,0010) "US" with two non-letters.
    final byte[] rowsHeader = {0x28, 0x00, 0x10, 0x00, 'U', 'S'};
    final int at = indexOf(all, rowsHeader);
    assertThat(at).isPositive();
    all[at + 4] = 0x01;
    all[at + 5] = (byte) 0xF3;
    assertThatThrownBy(() -> DicomReader.read(all, "garbled.dcm"))
        .isInstanceOf(ImageFormatException.class)
        .hasMessage(
            "garbled.dcm: garbled data at byte "
                + at
                + ": element (0028,0010) has no valid VR (bytes 0x01 0xF3)");
  }

  @Test
  void nonDicomBytesAreRefused() {
    assertThatThrownBy(() -> DicomReader.read(new byte[300], "zeros.dcm"))
        .isInstanceOf(ImageFormatException.class)
        .hasMessageStartingWith("zeros.dcm: not a DICOM file");
  }

  @Test
  void missingRowsIsRefused() {
    final byte[] file =
        DicomFixtures.explicitVr()
            .text(0x00080060, "CS", "CT")
            .pixels16(new short[4])
            .part10("1.2.840.10008.1.2.1");
    assertThatThrownBy(() -> DicomReader.read(file, "norows.dcm"))
        .isInstanceOf(ImageFormatException.class)
        .hasMessageContaining("Rows and Columns must be present and positive");
  }

  @Test
  void shortPixelDataIsRefused() {
    final byte[] file =
        DicomFixtures.explicitVr()
            .us(0x00280010, 3)
            .us(0x00280011, 3)
            .us(0x00280100, 16)
            .us(0x00280101, 16)
            .pixels16(new short[4])
            .part10("1.2.840.10008.1.2.1");
    assertThatThrownBy(() -> DicomReader.read(file, "short.dcm"))
        .isInstanceOf(ImageFormatException.class)
        .hasMessageContaining("short.dcm: truncated pixel data")
        .hasMessageContaining("need 18 bytes, found 8");
  }

  static int indexOf(final byte[] hay, final byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
