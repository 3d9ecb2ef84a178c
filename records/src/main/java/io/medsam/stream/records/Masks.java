package io.medsam.stream.records;

import io.medsam.stream.avro.RleMask;
import io.medsam.stream.imaging.ImageFormatException;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.imaging.mask.CocoRle;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link RleMask} (the wire record: COCO RLE in pycocotools' compressed string form with the mask's
 * H and W) to and from {@link BinaryMask}, and a mask's COCO bbox as {@code MaskResult.bbox}.
 */
public final class Masks {

  private Masks() {}

  /** The mask as a wire record. */
  public static RleMask toRleMask(final BinaryMask mask) {
    return new RleMask(mask.height(), mask.width(), CocoRle.encode(mask).toCompressedString());
  }

  /**
   * Decodes a wire mask.
   *
   * @param rle the record
   * @param source names the record in the error message (e.g. "mask of correction c-17")
   * @return the H x W mask
   * @throws ImageFormatException when the counts do not decode to an H x W mask
   */
  public static BinaryMask toBinaryMask(final RleMask rle, final String source)
      throws ImageFormatException {
    if (rle.getHeight() <= 0 || rle.getWidth() <= 0) {
      throw new ImageFormatException(
          source, "mask size must be positive, was " + rle.getHeight() + "x" + rle.getWidth());
    }
    return CocoRle.fromCompressedString(rle.getCounts(), rle.getHeight(), rle.getWidth(), source)
        .decode();
  }

  /**
   * @return COCO bbox [x, y, w, h] of the mask (zeros when it is empty), as MaskResult.bbox
   */
  public static List<Float> cocoBbox(final BinaryMask mask) {
    final List<Float> out = new ArrayList<>(4);
    for (final float v : mask.cocoBbox()) {
      out.add(v);
    }
    return out;
  }
}
