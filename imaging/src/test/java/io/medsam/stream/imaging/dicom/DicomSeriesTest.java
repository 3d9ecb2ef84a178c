package io.medsam.stream.imaging.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.medsam.stream.imaging.ImageFormatException;
import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.testing.DicomFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DicomSeriesTest {
  @TempDir Path tmp;

  /** One 2x3 (rows x cols) CT slice at z whose pixels are all {@code value}. */
  private static byte[] slice(
      final String series,
      final int instance,
      final double z,
      final short value,
      final String orientation) {
    return slice(series, instance, "-10\\20\\" + z, value, orientation);
  }

  /** As above; a null position or orientation leaves the attribute out. */
  private static byte[] slice(
      final String series,
      final int instance,
      final String position,
      final short value,
      final String orientation) {
    final short[] px = new short[6];
    java.util.Arrays.fill(px, value);
    px[1] = (short) (value + 1);
    final DicomFixtures f =
        DicomFixtures.explicitVr()
            .text(0x00080018, "UI", "1.9." + instance)
            .text(0x00080060, "CS", "CT")
            .text(0x0020000E, "UI", series)
            .text(0x00200013, "IS", Integer.toString(instance));
    if (position != null) {
      f.text(0x00200032, "DS", position);
    }
    if (orientation != null) {
      f.text(0x00200037, "DS", orientation);
    }
    return f.us(0x00280010, 2)
        .us(0x00280011, 3)
        .text(0x00280030, "DS", "0.5\\0.75")
        .us(0x00280100, 16)
        .us(0x00280101, 16)
        .us(0x00280103, 1)
        .text(0x00281052, "DS", "-1024")
        .text(0x00281053, "DS", "1")
        .pixels16(px)
        .part10("1.2.840.10008.1.2.1");
  }

  @Test
  void sortsByPositionAlongTheNormalNotByFileNameOrInstanceNumber() throws Exception {
    final String axial = "1\\0\\0\\0\\1\\0";
    // Instance numbers deliberately disagree with positions; file names are in neither order.
    Files.write(tmp.resolve("b.dcm"), slice("1.2.840.5", 1, 7.5, (short) 3000, axial));
    Files.write(tmp.resolve("a.dcm"), slice("1.2.840.5", 3, 2.5, (short) 1000, axial));
    Files.write(tmp.resolve("c"), slice("1.2.840.5", 2, 5.0, (short) 2000, axial));
    Files.writeString(tmp.resolve("README.txt"), "not dicom");
    final Volume v = DicomSeries.read(tmp);
    assertThat(new int[] {v.nx(), v.ny(), v.nz()}).containsExactly(3, 2, 3);
    assertThat(v.dx()).isEqualTo(0.75);
    assertThat(v.dy()).isEqualTo(0.5);
    assertThat(v.dz()).isCloseTo(2.5, within(1e-12));
    assertThat(v.at(0, 0, 0)).isEqualTo(1000 - 1024f);
    assertThat(v.at(1, 0, 0)).isEqualTo(1001 - 1024f);
    assertThat(v.at(2, 1, 1)).isEqualTo(2000 - 1024f);
    assertThat(v.at(0, 0, 2)).isEqualTo(3000 - 1024f);
    assertThat(v.metadata().modality()).isEqualTo("CT");
    assertThat(v.metadata().seriesUid()).isEqualTo("1.2.840.5");
    // LPS (-10, 20, 2.5) becomes RAS (10, -20, 2.5); i steps -0.75 mm in x, j -0.5 mm in y.
    assertThat(v.affine().apply(0, 0, 0)).containsExactly(10, -20, 2.5);
    assertThat(v.affine().apply(1, 1, 2)[0]).isCloseTo(10 - 0.75, within(1e-12));
    assertThat(v.affine().apply(1, 1, 2)[1]).isCloseTo(-20 - 0.5, within(1e-12));
    assertThat(v.affine().apply(1, 1, 2)[2]).isCloseTo(7.5, within(1e-12));
  }

  @Test
  void fallsBackToInstanceNumberWithoutPositions() throws Exception {
    final Volume v =
        DicomSeries.assemble(
            java.util.List.of(
                DicomReader.read(slice("s", 2, null, (short) 20, null), "two"),
                DicomReader.read(slice("s", 1, null, (short) 10, null), "one")),
            "series");
    assertThat(v.at(0, 0, 0)).isEqualTo(10 - 1024f);
    assertThat(v.at(0, 0, 1)).isEqualTo(20 - 1024f);
    assertThat(v.dz()).isEqualTo(1.0);
  }

  @Test
  void realSingleSliceBecomesAOneSliceVolume() throws Exception {
    final Path dir = Files.createDirectory(tmp.resolve("ct"));
    Files.copy(DicomFixtures.PYDICOM_FILES.resolve("CT_small.dcm"), dir.resolve("CT_small.dcm"));
    final Volume v = DicomSeries.read(dir);
    assertThat(new int[] {v.nx(), v.ny(), v.nz()}).containsExactly(128, 128, 1);
    assertThat(v.dx()).isEqualTo(0.661468);
    assertThat(v.at(20, 10, 0)).isEqualTo(-839f);
  }

  @Test
  void duplicatePositionsAreRefused() throws Exception {
    Files.write(tmp.resolve("1.dcm"), slice("s", 1, 5, (short) 1, "1\\0\\0\\0\\1\\0"));
    Files.write(tmp.resolve("2.dcm"), slice("s", 2, 5, (short) 2, "1\\0\\0\\0\\1\\0"));
    assertThatThrownBy(() -> DicomSeries.read(tmp))
        .isInstanceOf(ImageFormatException.class)
        .hasMessageContaining("two instances lie at the same slice position");
  }

  @Test
  void folderWithTwoSeriesIsRefusedUnlessOneIsNamed() throws Exception {
    Files.write(tmp.resolve("1.dcm"), slice("s1", 1, 5, (short) 1, "1\\0\\0\\0\\1\\0"));
    Files.write(tmp.resolve("2.dcm"), slice("s2", 1, 5, (short) 2, "1\\0\\0\\0\\1\\0"));
    assertThatThrownBy(() -> DicomSeries.read(tmp))
        .isInstanceOf(ImageFormatException.class)
        .hasMessageContaining("holds 2 series");
    assertThat(DicomSeries.read(tmp, "s2").at(0, 0, 0)).isEqualTo(2 - 1024f);
  }
}
