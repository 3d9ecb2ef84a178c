package io.medsam.stream.dicom.write;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Value encoding rules the DICOM tools do not see directly. */
class DicomElementsTest {
  @Test
  void decimalStringsFitSixteenCharacters() {
    assertThat(DicomElements.decimalString(-90)).isEqualTo("-90");
    assertThat(DicomElements.decimalString(0.8)).isEqualTo("0.8");
    assertThat(DicomElements.decimalString(1.0 / 3))
        .hasSizeLessThanOrEqualTo(16)
        .startsWith("0.33");
    assertThat(DicomElements.decimalString(-123.456789012345678)).hasSizeLessThanOrEqualTo(16);
    assertThat(DicomElements.decimalString(1e-20)).hasSizeLessThanOrEqualTo(16).contains("E");
    assertThat(Double.parseDouble(DicomElements.decimalString(-0.9876543210123)))
        .isCloseTo(-0.9876543210123, org.assertj.core.api.Assertions.within(1e-12));
  }

  @Test
  void elementsAreWrittenInTagOrderWithEvenLengths() {
    final byte[] b =
        new DicomElements().text(0x00100020, "LO", "ABC").text(0x00080060, "CS", "MR").encode();
    // (0008,0060) CS 2 "MR" first, then (0010,0020) LO 4 "ABC "
    assertThat(b).hasSize(8 + 2 + 8 + 4);
    assertThat(b[0]).isEqualTo((byte) 0x08);
    assertThat(new String(b, 10 + 8, 4, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("ABC ");
  }
}
