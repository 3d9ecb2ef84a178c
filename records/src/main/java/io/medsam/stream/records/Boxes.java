package io.medsam.stream.records;

import io.medsam.stream.avro.Box;
import io.medsam.stream.imaging.preprocess.PixelBox;

/**
 * {@link Box} (the wire record, float corners) to and from {@link PixelBox} (imaging's box, double
 * corners). Both hold x = column, y = row, (x0, y0) top-left and (x1, y1) bottom-right in original
 * pixel coordinates. The rules a box must follow are {@link PixelBox#validate} and {@link
 * PixelBox#validateShape}.
 */
public final class Boxes {

  private Boxes() {}

  /** The same corners as a PixelBox (exact: every float is a double). */
  public static PixelBox toPixelBox(final Box box) {
    return new PixelBox(box.getX0(), box.getY0(), box.getX1(), box.getY1());
  }

  /** The same corners as a wire Box, each rounded to the nearest float. */
  public static Box toBox(final PixelBox box) {
    return new Box((float) box.x0(), (float) box.y0(), (float) box.x1(), (float) box.y1());
  }
}
