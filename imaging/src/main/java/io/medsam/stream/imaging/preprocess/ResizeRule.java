package io.medsam.stream.imaging.preprocess;

import java.util.Locale;

/**
 * How an H x W image is brought to the model's S x S input (the bundle manifest's "resize"). Two
 * families: the image is stretched to S x S, or its longest side is brought to S keeping the aspect
 * ratio and the rest zero-padded at the bottom and right. Within each family one rule resizes
 * bilinearly (this service's own rule, used by its demo bundles) and one reproduces the reference
 * script of the checkpoints it serves (MedSAM's, LiteMedSAM's).
 */
public enum ResizeRule {
  /** Straight to S x S, bilinear (PyTorch {@code align_corners=False}, no antialiasing). */
  STRETCH("stretch", false),
  /** Longest side to S, bilinear, zero padding bottom and right. */
  LONGEST_SIDE_PAD("longest-side-pad", true),
  /**
   * MedSAM's {@code MedSAM_Inference.py}: straight to S x S with scikit-image's order-3 resize
   * ({@code anti_aliasing=True, preserve_range=True}), cast to uint8, then min-max. Boxes map as
   * {@code x / W * S}.
   */
  MEDSAM("medsam", false),
  /**
   * LiteMedSAM's {@code CVPR24_LiteMedSAM_infer.py}: longest side to S with OpenCV's {@code
   * INTER_AREA}, min-max, zero padding bottom and right. Boxes map as {@code int(x * S / max(H,
   * W))} (truncated).
   */
  LITEMEDSAM("litemedsam", true);

  private final String manifestName;
  private final boolean padded;

  ResizeRule(final String manifestName, final boolean padded) {
    this.manifestName = manifestName;
    this.padded = padded;
  }

  /** The name used in manifest.json. */
  public String manifestName() {
    return manifestName;
  }

  /** Whether the rule keeps the aspect ratio and pads (the image content is smaller than S x S). */
  public boolean padded() {
    return padded;
  }

  /** Parses the manifest's "resize" value. */
  public static ResizeRule fromManifest(final String name) {
    final String n = name.toLowerCase(Locale.ROOT);
    for (final ResizeRule r : values()) {
      if (r.manifestName.equals(n)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "unknown resize rule '"
            + name
            + "' (expected stretch, longest-side-pad, medsam or litemedsam)");
  }

  /**
   * Size {height, width} of the resized image content inside the S x S input: S x S for the
   * stretching rules; for the padded rules each side times S / max(H, W), rounded half up
   * (LiteMedSAM's {@code int(x + 0.5)}).
   */
  public int[] contentSize(final int height, final int width, final int size) {
    if (!padded) {
      return new int[] {size, size};
    }
    final double scale = (double) size / Math.max(height, width);
    return new int[] {(int) (height * scale + 0.5), (int) (width * scale + 0.5)};
  }
}
