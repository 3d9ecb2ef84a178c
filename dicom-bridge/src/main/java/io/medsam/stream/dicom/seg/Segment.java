package io.medsam.stream.dicom.seg;

import io.medsam.stream.imaging.mask.BinaryMask;
import java.util.List;

/**
 * One segment (target) of a segmentation: a label, its codes and one mask per source image.
 *
 * @param label SegmentLabel (e.g. the target's name): at most 64 characters, no backslash or
 *     control character (DICOM LO)
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
    checkLabel(label);
    masks = List.copyOf(masks);
  }

  /**
   * Checks a SegmentLabel before any work is done for it.
   *
   * @throws IllegalArgumentException naming the problem: blank, over 64 characters, a backslash or
   *     a control character
   */
  public static void checkLabel(final String label) {
    if (label == null || label.isBlank()) {
      throw new IllegalArgumentException("a segment label must not be blank");
    }
    if (label.length() > SegmentationSource.LO_MAX) {
      throw new IllegalArgumentException(
          "a segment label has at most "
              + SegmentationSource.LO_MAX
              + " characters, not "
              + label.length());
    }
    if (!label.equals(SegmentationSource.lo(label))) {
      throw new IllegalArgumentException(
          "a segment label holds no backslash, control character or surrounding space: '"
              + label
              + "'");
    }
  }

  /**
   * A valid segment label made of {@code text} (e.g. an atlas' name for a target): backslashes and
   * control characters become spaces, cut to 64 characters; blank text gives {@code fallback}.
   */
  public static String labelOf(final String text, final String fallback) {
    final String s = text == null ? "" : SegmentationSource.lo(text);
    return s.isEmpty() ? fallback : s;
  }

  /** A segment of the default category and type (anatomical structure, tissue). */
  public static Segment of(final String label, final List<BinaryMask> masks) {
    return new Segment(label, Code.ANATOMICAL_STRUCTURE, Code.TISSUE, masks);
  }
}
