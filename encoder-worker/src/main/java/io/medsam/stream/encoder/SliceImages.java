package io.medsam.stream.encoder;

import io.medsam.stream.avro.ImageSlice;
import io.medsam.stream.imaging.Slice2D;

/**
 * Views an ImageSlice record as imaging's {@link Slice2D}, whose {@code ModelInput.build} makes the
 * encoder input (grey to 3 channels, bilinear align_corners=False resize, min-max to [0,1]).
 */
final class SliceImages {

  private SliceImages() {}

  /**
   * @return the slice's pixels, shape and spacing (pixels copied out of the record's buffer)
   * @throws IllegalArgumentException when the pixel count does not match height/width/channels,
   *     naming the slice key
   */
  static Slice2D toSlice2D(final ImageSlice slice) {
    final byte[] pixels = new byte[slice.getPixels().remaining()];
    slice.getPixels().duplicate().get(pixels);
    try {
      return new Slice2D(
          pixels,
          slice.getHeight(),
          slice.getWidth(),
          slice.getChannels(),
          slice.getPixelSpacingRow(),
          slice.getPixelSpacingCol(),
          slice.getSlicePosition());
    } catch (final IllegalArgumentException e) {
      throw new IllegalArgumentException("slice " + slice.getSliceKey() + ": " + e.getMessage(), e);
    }
  }
}
