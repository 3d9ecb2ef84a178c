package io.medsam.stream.decoder.bundle;

/** How a bundle maps an H x W image to its S x S model input (manifest field "resize"). */
public enum ResizeRule {
  /** MedSAM: straight to S x S; x' = x * S / W, y' = y * S / H. */
  STRETCH("stretch"),
  /** LiteMedSAM / SAM: scale the longest side to S, pad right and bottom. */
  LONGEST_SIDE_PAD("longest-side-pad");

  private final String manifestName;

  ResizeRule(final String manifestName) {
    this.manifestName = manifestName;
  }

  /** @return the name used in manifest.json */
  public String manifestName() {
    return manifestName;
  }

  /**
   * @param name the manifest value
   * @return the rule
   * @throws BundleFormatException for an unknown name
   */
  public static ResizeRule fromManifest(final String name) throws BundleFormatException {
    for (final ResizeRule r : values()) {
      if (r.manifestName.equals(name)) {
        return r;
      }
    }
    throw new BundleFormatException("unknown resize rule in manifest: " + name);
  }
}
