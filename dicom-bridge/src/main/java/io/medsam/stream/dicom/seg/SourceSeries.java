package io.medsam.stream.dicom.seg;

import java.util.List;

/**
 * The series a segmentation is derived from: what the SEG object references and copies.
 *
 * @param patientStudy patient and study attributes (identifiers: never logged)
 * @param studyInstanceUid StudyInstanceUID
 * @param seriesInstanceUid SeriesInstanceUID
 * @param frameOfReferenceUid FrameOfReferenceUID
 * @param rows Rows of every image
 * @param columns Columns of every image
 * @param pixelSpacing PixelSpacing {row spacing, column spacing} in mm
 * @param imageOrientation ImageOrientationPatient (row cosines, then column cosines)
 * @param sliceThickness SliceThickness in mm
 * @param images the images in slice order (the order of each segment's masks)
 */
public record SourceSeries(
    PatientStudy patientStudy,
    String studyInstanceUid,
    String seriesInstanceUid,
    String frameOfReferenceUid,
    int rows,
    int columns,
    double[] pixelSpacing,
    double[] imageOrientation,
    double sliceThickness,
    List<SourceImage> images) {

  /** Checks the geometry. */
  public SourceSeries {
    if (rows <= 0 || columns <= 0 || images == null || images.isEmpty()) {
      throw new IllegalArgumentException("a source series needs a size and at least one image");
    }
    if (pixelSpacing == null || pixelSpacing.length != 2) {
      throw new IllegalArgumentException("PixelSpacing needs 2 values");
    }
    if (imageOrientation == null || imageOrientation.length != 6) {
      throw new IllegalArgumentException("ImageOrientationPatient needs 6 values");
    }
    if (!(sliceThickness > 0)) {
      throw new IllegalArgumentException("SliceThickness must be positive: " + sliceThickness);
    }
    images = List.copyOf(images);
  }
}
