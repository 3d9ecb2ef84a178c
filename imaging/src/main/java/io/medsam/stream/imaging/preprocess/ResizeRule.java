package io.medsam.stream.imaging.preprocess;

import java.util.Locale;

/** How an H x W image is brought to the model's S x S input (the bundle manifest's "resize"). */
public enum ResizeRule {
  /** Straight to S x S, aspect ratio not kept (MedSAM). */
  STRETCH("stretch"),
  /**
   * Longest side to S keeping the aspect ratio, then zero padding at the bottom and right
   * (LiteMedSAM).
   */
  LONGEST_SIDE_PAD("longest-side-pad");

  private final String manifestName;

  ResizeRule(final String manifestName) {
    this.manifestName = manifestName;
  }

  /** The name used in manifest.json. */
  public String manifestName() {
    return manifestName;
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
        "unknown resize rule '" + name + "' (expected stretch or longest-side-pad)");
  }

  /**
   * Size {height, width} of the resized image content inside the S x S input: S x S for stretch;
   * for longest-side-pad each side times S / max(H, W), rounded half up (LiteMedSAM's {@code int(x
   * + 0.5)}).
   */
  public int[] contentSize(final int height, final int width, final int size) {
    if (this == STRETCH) {
      return new int[] {size, size};
    }
    final double scale = (double) size / Math.max(height, width);
    return new int[] {(int) (height * scale + 0.5), (int) (width * scale + 0.5)};
  }
}
