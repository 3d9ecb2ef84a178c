package io.medsam.stream.dicom.seg;

import io.medsam.stream.dicom.write.Uids;

/**
 * Identity of the SEG object being written.
 *
 * @param seriesInstanceUid the new series' UID
 * @param sopInstanceUid the SEG instance's UID
 * @param seriesNumber SeriesNumber
 * @param seriesDescription SeriesDescription
 * @param algorithmName SegmentAlgorithmName (e.g. the model bundle id and version)
 */
public record SegmentationSeries(
    String seriesInstanceUid,
    String sopInstanceUid,
    int seriesNumber,
    String seriesDescription,
    String algorithmName) {

  /** A new series with fresh UIDs. */
  public static SegmentationSeries create(
      final int seriesNumber, final String seriesDescription, final String algorithmName) {
    return new SegmentationSeries(
        Uids.create(), Uids.create(), seriesNumber, seriesDescription, algorithmName);
  }
}
