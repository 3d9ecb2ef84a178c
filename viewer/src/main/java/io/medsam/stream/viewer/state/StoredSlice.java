package io.medsam.stream.viewer.state;

import io.medsam.stream.avro.ImageSlice;
import io.medsam.stream.imaging.Slice2D;

/**
 * One ingested slice as the viewer keeps it: its key, place and pixels (8-bit, as the ingest worker
 * normalised them).
 *
 * @param sliceKey {@code <seriesUid>/<axis>/<index>}
 * @param seriesUid the series
 * @param axis axial, coronal, sagittal or 2d
 * @param index the slice's index along its axis
 * @param image the pixels and spacing
 */
public record StoredSlice(
    String sliceKey, String seriesUid, String axis, int index, Slice2D image) {

  /** From the wire record. */
  static StoredSlice of(final ImageSlice s) {
    final byte[] px = new byte[s.getPixels().remaining()];
    s.getPixels().duplicate().get(px);
    return new StoredSlice(
        s.getSliceKey(),
        s.getSeriesUid(),
        s.getAxis(),
        s.getIndex(),
        new Slice2D(
            px,
            s.getHeight(),
            s.getWidth(),
            s.getChannels(),
            s.getPixelSpacingRow(),
            s.getPixelSpacingCol(),
            s.getSlicePosition()));
  }

  /**
   * @return rows
   */
  public int height() {
    return image.height();
  }

  /**
   * @return columns
   */
  public int width() {
    return image.width();
  }
}
