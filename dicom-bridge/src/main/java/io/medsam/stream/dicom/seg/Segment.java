package io.medsam.stream.dicom.seg;

import io.medsam.stream.imaging.mask.BinaryMask;
import java.util.List;

/**
 * One segment (target) of a segmentation: a label, its codes and one mask per source image.
 *
 * @param label SegmentLabel (e.g. the target's name)
 * @param category SegmentedPropertyCategoryCodeSequence
 * @param type SegmentedPropertyTypeCodeSequence
 * @param masks one mask per image of the source series, in its slice order
 */
public record Segment(String label, Code category, Code type, List<BinaryMask> masks) {
  /** Copies the masks. */
  public Segment {
    if (label == null || label.isBlank() || category == null || type == null || masks == null) {
      throw new IllegalArgumentException("a segment needs a label, codes and masks");
    }
    masks = List.copyOf(masks);
  }

  /** A segment of the default category and type (anatomical structure, tissue). */
  public static Segment of(final String label, final List<BinaryMask> masks) {
    return new Segment(label, Code.ANATOMICAL_STRUCTURE, Code.TISSUE, masks);
  }
}
