package io.medsam.stream.dicom.seg;

import java.util.Comparator;
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
 * @param images the images; kept in slice order: ascending position along the slice normal (row
 *     cosines x column cosines), the order the imaging module's {@code DicomSeries} gives slices
 *     their index k in, and so the order of each segment's masks
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
    final double[] o = imageOrientation;
    final double[] normal = {
      o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]
    };
    images =
        images.stream()
            .sorted(Comparator.comparingDouble(i -> dot(i.imagePosition(), normal)))
            .toList();
  }

  /** Position of {@code image} along the slice normal, mm. */
  public double positionAlongNormal(final SourceImage image) {
    final double[] o = imageOrientation;
    return dot(
        image.imagePosition(),
        new double[] {
          o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]
        });
  }

  private static double dot(final double[] a, final double[] b) {
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  }
}
