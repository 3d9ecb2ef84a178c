package io.medsam.stream.dicom.seg;

/**
 * One single-frame image of the segmented series.
 *
 * @param sopClassUid its SOPClassUID
 * @param sopInstanceUid its SOPInstanceUID
 * @param imagePosition ImagePositionPatient (x, y, z) in mm, LPS
 */
public record SourceImage(String sopClassUid, String sopInstanceUid, double[] imagePosition) {
  /** Checks the position. */
  public SourceImage {
    if (imagePosition == null || imagePosition.length != 3) {
      throw new IllegalArgumentException("ImagePositionPatient needs 3 values");
    }
  }
}
