package io.medsam.stream.dicom.series;

import io.medsam.stream.dicom.seg.PatientStudy;
import io.medsam.stream.dicom.write.Uids;

/**
 * What a volume written as a DICOM series is: modality, identity and how values are stored.
 *
 * @param modality MR or CT (decides the SOP class)
 * @param patientStudy patient and study attributes
 * @param studyInstanceUid StudyInstanceUID
 * @param seriesInstanceUid SeriesInstanceUID
 * @param frameOfReferenceUid FrameOfReferenceUID
 * @param seriesDescription SeriesDescription
 * @param rescaleIntercept RescaleIntercept: value = stored + intercept (stored as signed 16 bit)
 */
public record SeriesSpec(
    String modality,
    PatientStudy patientStudy,
    String studyInstanceUid,
    String seriesInstanceUid,
    String frameOfReferenceUid,
    String seriesDescription,
    double rescaleIntercept) {

  /** Accepts MR and CT only. */
  public SeriesSpec {
    if (!modality.equals("MR") && !modality.equals("CT")) {
      throw new IllegalArgumentException("only MR and CT series are written, not " + modality);
    }
  }

  /** A new series (fresh UIDs) of {@code modality}. */
  public static SeriesSpec create(
      final String modality,
      final PatientStudy patientStudy,
      final String seriesDescription,
      final double rescaleIntercept) {
    return new SeriesSpec(
        modality,
        patientStudy,
        Uids.create(),
        Uids.create(),
        Uids.create(),
        seriesDescription,
        rescaleIntercept);
  }

  /** The SOP class of the images (MR Image Storage or CT Image Storage). */
  public String sopClassUid() {
    return modality.equals("MR") ? "1.2.840.10008.5.1.4.1.1.4" : "1.2.840.10008.5.1.4.1.1.2";
  }
}
