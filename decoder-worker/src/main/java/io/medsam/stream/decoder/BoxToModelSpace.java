package io.medsam.stream.decoder;

import io.medsam.stream.avro.Box;
import io.medsam.stream.decoder.bundle.ResizeRule;

/**
 * Maps a box from original pixel coordinates of an H x W image to the S x S model space of a
 * bundle. Stretch (MedSAM): x' = x * S / W, y' = y * S / H. Longest side + pad (SAM): both axes
 * scaled by the resized size over the original, the resized size being round(side * S / max(H, W)).
 */
final class BoxToModelSpace {

  private final ResizeRule rule;
  private final int size;

  BoxToModelSpace(final ResizeRule rule, final int size) {
    this.rule = rule;
    this.size = size;
  }

  /** Writes x0', y0', x1', y1' into {@code out} at {@code offset}. */
  void map(final Box box, final int height, final int width, final float[] out, final int offset) {
    // in double, then rounded once: the same numbers as the Python reference's x * S / W
    final double targetW;
    final double targetH;
    if (rule == ResizeRule.STRETCH) {
      targetW = size;
      targetH = size;
    } else {
      final double scale = (double) size / Math.max(height, width);
      targetW = (int) (width * scale + 0.5);
      targetH = (int) (height * scale + 0.5);
    }
    out[offset] = (float) (box.getX0() * targetW / width);
    out[offset + 1] = (float) (box.getY0() * targetH / height);
    out[offset + 2] = (float) (box.getX1() * targetW / width);
    out[offset + 3] = (float) (box.getY1() * targetH / height);
  }
}
