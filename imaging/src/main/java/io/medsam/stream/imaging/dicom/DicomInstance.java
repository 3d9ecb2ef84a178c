package io.medsam.stream.imaging.dicom;

/**
 * One decoded DICOM instance (image). Pixels are floats after the modality rescale (so CT is in
 * Hounsfield units), frame by frame, row-major, samples interleaved.
 *
 * @param source file the instance was read from
 * @param transferSyntax its transfer syntax
 * @param modality Modality (e.g. CT, MR), "OT" when absent
 * @param seriesInstanceUid SeriesInstanceUID, "" when absent
 * @param sopInstanceUid SOPInstanceUID, "" when absent
 * @param seriesDescription SeriesDescription, "" when absent
 * @param rows Rows
 * @param columns Columns
 * @param frames NumberOfFrames (1 when absent)
 * @param samplesPerPixel SamplesPerPixel (1 grey, 3 colour)
 * @param rescaleSlope RescaleSlope (1 when absent)
 * @param rescaleIntercept RescaleIntercept (0 when absent)
 * @param pixelSpacing PixelSpacing {row spacing, column spacing} in mm, null when absent
 * @param imagePosition ImagePositionPatient (x, y, z) in mm (LPS), null when absent
 * @param imageOrientation ImageOrientationPatient (row cosines then column cosines), null when
 *     absent
 * @param sliceLocation SliceLocation, null when absent
 * @param instanceNumber InstanceNumber, null when absent
 * @param sliceThickness SliceThickness, null when absent
 * @param spacingBetweenSlices SpacingBetweenSlices, null when absent
 * @param pixels frames*rows*columns*samplesPerPixel rescaled values
 */
public record DicomInstance(
    String source,
    TransferSyntax transferSyntax,
    String modality,
    String seriesInstanceUid,
    String sopInstanceUid,
    String seriesDescription,
    int rows,
    int columns,
    int frames,
    int samplesPerPixel,
    double rescaleSlope,
    double rescaleIntercept,
    double[] pixelSpacing,
    double[] imagePosition,
    double[] imageOrientation,
    Double sliceLocation,
    Integer instanceNumber,
    Double sliceThickness,
    Double spacingBetweenSlices,
    float[] pixels) {

  /** Pixel value at (frame, row, column) for a single-sample image. */
  public float at(final int frame, final int row, final int column) {
    return pixels[(frame * rows + row) * columns + column];
  }

  /** Row spacing in mm (PixelSpacing[0]), 1 when absent. */
  public double rowSpacing() {
    return pixelSpacing == null ? 1.0 : pixelSpacing[0];
  }

  /** Column spacing in mm (PixelSpacing[1]), 1 when absent. */
  public double columnSpacing() {
    return pixelSpacing == null ? 1.0 : pixelSpacing[1];
  }

  /** The slice normal (row cosines x column cosines), or null without an orientation. */
  public double[] sliceNormal() {
    if (imageOrientation == null) {
      return null;
    }
    final double[] r = imageOrientation;
    return new double[] {
      r[1] * r[5] - r[2] * r[4], r[2] * r[3] - r[0] * r[5], r[0] * r[4] - r[1] * r[3]
    };
  }
}
