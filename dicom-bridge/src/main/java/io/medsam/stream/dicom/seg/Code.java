package io.medsam.stream.dicom.seg;

import io.medsam.stream.dicom.write.DicomElements;

/**
 * A coded concept (Code Sequence Macro).
 *
 * @param value CodeValue
 * @param scheme CodingSchemeDesignator (SCT, DCM, ...)
 * @param meaning CodeMeaning
 */
public record Code(String value, String scheme, String meaning) {
  /** SNOMED CT "Anatomical Structure", the default segment category. */
  public static final Code ANATOMICAL_STRUCTURE =
      new Code("91723000", "SCT", "Anatomical Structure");

  /** SNOMED CT "Tissue", the default segment property type. */
  public static final Code TISSUE = new Code("85756007", "SCT", "Tissue");

  /** DICOM "Source image for image processing operation". */
  static final Code SOURCE_IMAGE_FOR_PROCESSING =
      new Code("121322", "DCM", "Source image for image processing operation");

  /** DICOM "Segmentation" (derivation). */
  static final Code SEGMENTATION = new Code("113076", "DCM", "Segmentation");

  /** The sequence item for this code. */
  DicomElements item() {
    return new DicomElements()
        .text(0x00080100, "SH", value)
        .text(0x00080102, "SH", scheme)
        .text(0x00080104, "LO", meaning);
  }
}
