package io.medsam.stream.dicom.seg;

/**
 * The patient and study attributes a derived object copies from its source, so that a DICOM server
 * files it with the source study. They contain patient identifiers: they go into the DICOM object
 * and nowhere else; {@link #toString()} hides every value so they cannot reach a log.
 *
 * @param specificCharacterSet the source's SpecificCharacterSet ("" when absent: ASCII)
 * @param patientName PatientName ("" when absent)
 * @param patientId PatientID
 * @param patientBirthDate PatientBirthDate
 * @param patientSex PatientSex
 * @param studyDate StudyDate
 * @param studyTime StudyTime
 * @param studyId StudyID
 * @param accessionNumber AccessionNumber
 * @param referringPhysicianName ReferringPhysicianName
 */
public record PatientStudy(
    String specificCharacterSet,
    String patientName,
    String patientId,
    String patientBirthDate,
    String patientSex,
    String studyDate,
    String studyTime,
    String studyId,
    String accessionNumber,
    String referringPhysicianName) {

  /** Replaces nulls with empty values (all of these are Type 2 in the SEG IOD). */
  public PatientStudy {
    specificCharacterSet = orEmpty(specificCharacterSet);
    patientName = orEmpty(patientName);
    patientId = orEmpty(patientId);
    patientBirthDate = orEmpty(patientBirthDate);
    patientSex = orEmpty(patientSex);
    studyDate = orEmpty(studyDate);
    studyTime = orEmpty(studyTime);
    studyId = orEmpty(studyId);
    accessionNumber = orEmpty(accessionNumber);
    referringPhysicianName = orEmpty(referringPhysicianName);
  }

  /** No patient or study attributes (all empty). */
  public static PatientStudy anonymous() {
    return new PatientStudy(null, null, null, null, null, null, null, null, null, null);
  }

  private static String orEmpty(final String s) {
    return s == null ? "" : s;
  }

  @Override
  public String toString() {
    return "PatientStudy[redacted]";
  }
}
