package io.medsam.stream.imaging.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.imaging.testing.DicomFixtures;
import org.junit.jupiter.api.Test;

/** Synthetic data sets exercising sequences, implicit VR, files without meta and pixel formats. */
class DicomParserTest {

  private static DicomFixtures image(final DicomFixtures f) {
    return f.text(0x00080060, "CS", "MR")
        .text(0x0020000E, "UI", "1.2.3.4")
        .text(0x00200013, "IS", "7");
  }

  @Test
  void skipsDefinedAndUndefinedLengthSequencesInExplicitVr() throws Exception {
    final byte[] file =
        image(DicomFixtures.explicitVr())
            .definedLengthSequence(0x00081140)
            .undefinedLengthSequence(0x00081150 + 0x10)
            .us(0x00280010, 2)
            .us(0x00280011, 2)
            .us(0x00280100, 16)
            .us(0x00280101, 16)
            .us(0x00280103, 1)
            .text(0x00281052, "DS", "-10")
            .text(0x00281053, "DS", "2")
            .pixels16(new short[] {1, -2, 3, 400})
            .part10("1.2.840.10008.1.2.1");
    final DicomInstance d = DicomReader.read(file, "seq.dcm");
    assertThat(d.instanceNumber()).isEqualTo(7);
    assertThat(d.seriesInstanceUid()).isEqualTo("1.2.3.4");
    assertThat(d.pixels()).containsExactly(2 * 1 - 10, 2 * -2 - 10, 2 * 3 - 10, 2 * 400 - 10);
  }

  @Test
  void readsImplicitVrDataSetWithoutMetaHeaderAndUndefinedSequence() throws Exception {
    final byte[] file =
        image(DicomFixtures.implicitVr())
            .undefinedLengthSequence(0x00081140)
            .us(0x00280010, 1)
            .us(0x00280011, 3)
            .us(0x00280100, 16)
            .us(0x00280101, 16)
            .pixels16(new short[] {5, 6, (short) 65535})
            .dataSet();
    final DicomInstance d = DicomReader.read(file, "bare.dcm");
    assertThat(d.transferSyntax()).isEqualTo(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
    assertThat(d.modality()).isEqualTo("MR");
    assertThat(d.pixels()).containsExactly(5, 6, 65535);
    assertThat(d.pixelSpacing()).isNull();
  }

  @Test
  void bitsStoredMasksAndSignExtends() throws Exception {
    // 12 bits stored, signed: 0x0FFF is -1, 0x0800 is -2048, high garbage bits are ignored.
    final byte[] file =
        DicomFixtures.explicitVr()
            .us(0x00280010, 1)
            .us(0x00280011, 3)
            .us(0x00280100, 16)
            .us(0x00280101, 12)
            .us(0x00280103, 1)
            .pixels16(new short[] {0x0FFF, 0x0800, (short) 0xF005})
            .part10("1.2.840.10008.1.2.1");
    assertThat(DicomReader.read(file, "12bit.dcm").pixels()).containsExactly(-1, -2048, 5);
  }

  @Test
  void eightBitMultiFrameAndOneBitSegmentations() throws Exception {
    final byte[] eight =
        DicomFixtures.explicitVr()
            .us(0x00280010, 1)
            .us(0x00280011, 2)
            .text(0x00280008, "IS", "2")
            .us(0x00280100, 8)
            .us(0x00280101, 8)
            .raw(0x7FE00010, "OB", new byte[] {1, 2, (byte) 200, 4})
            .part10("1.2.840.10008.1.2.1");
    final DicomInstance d = DicomReader.read(eight, "8bit.dcm");
    assertThat(d.frames()).isEqualTo(2);
    assertThat(d.at(1, 0, 0)).isEqualTo(200f);
    final byte[] one =
        DicomFixtures.explicitVr()
            .us(0x00280010, 2)
            .us(0x00280011, 5)
            .us(0x00280100, 1)
            .us(0x00280101, 1)
            .raw(0x7FE00010, "OB", new byte[] {(byte) 0b10000101, 0b00000010})
            .part10("1.2.840.10008.1.2.1");
    // Bits are packed least significant first: pixel n is bit n % 8 of byte n / 8.
    assertThat(DicomReader.read(one, "1bit.dcm").pixels())
        .containsExactly(1, 0, 1, 0, 0, 0, 0, 1, 0, 1);
  }
}
