package io.medsam.stream.imaging;

/**
 * A normalized 8-bit 2D image, row-major, channels interleaved (grey: 1, RGB: 3).
 *
 * @param pixels height*width*channels unsigned bytes (not copied: treat as read-only)
 * @param height rows (H)
 * @param width columns (W)
 * @param channels 1 or 3
 * @param rowSpacing mm between rows
 * @param colSpacing mm between columns
 * @param position position of the slice along its axis, mm
 */
public record Slice2D(
    byte[] pixels,
    int height,
    int width,
    int channels,
    double rowSpacing,
    double colSpacing,
    double position) {

  /** Validates the shape. */
  public Slice2D {
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException("slice size must be positive: " + height + "x" + width);
    }
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
    }
    if ((long) height * width * channels != pixels.length) {
      throw new IllegalArgumentException(
          "expected " + ((long) height * width * channels) + " bytes, got " + pixels.length);
    }
  }

  /** Unsigned value at row r, column c, channel ch. */
  public int at(final int r, final int c, final int ch) {
    return pixels[(r * width + c) * channels + ch] & 0xff;
  }
}
