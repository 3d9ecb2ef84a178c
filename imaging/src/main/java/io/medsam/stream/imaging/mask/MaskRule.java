package io.medsam.stream.imaging.mask;

import io.medsam.stream.imaging.preprocess.ModelSpace;
import java.util.Locale;

/**
 * How the decoder's low-resolution logits [L, L] become a mask of the original H x W image (the
 * bundle manifest's "mask_rule"; absent means {@link #LOGITS}). Every rule resizes bilinearly with
 * PyTorch's {@code align_corners=False} semantics in float ({@link LogitUpsampler}); under a padded
 * resize rule the logits are first cropped to the resized content.
 */
public enum MaskRule {
  /** Bilinear on the logits to H x W, mask = logit &gt; 0 (this service's own rule). */
  LOGITS("logits"),
  /**
   * MedSAM's {@code medsam_inference}: sigmoid of the low-res logits, bilinear on the probabilities
   * to H x W, mask = probability &gt; 0.5.
   */
  MEDSAM("medsam"),
  /**
   * LiteMedSAM's {@code postprocess_masks}: crop the logits to the resized content, bilinear to H x
   * W, mask = sigmoid(logit) &gt; 0.5 in float (which is logit &gt; 0 except for logits below
   * ~1e-7, whose float sigmoid rounds to 0.5).
   */
  LITEMEDSAM("litemedsam");

  private final String manifestName;

  MaskRule(final String manifestName) {
    this.manifestName = manifestName;
  }

  /** The name used in manifest.json. */
  public String manifestName() {
    return manifestName;
  }

  /** Parses the manifest's "mask_rule" value ({@code null}, i.e. absent, is {@link #LOGITS}). */
  public static MaskRule fromManifest(final String name) {
    if (name == null) {
      return LOGITS;
    }
    final String n = name.toLowerCase(Locale.ROOT);
    for (final MaskRule r : values()) {
      if (r.manifestName.equals(n)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "unknown mask rule '" + name + "' (expected logits, medsam or litemedsam)");
  }

  /**
   * The values the rule thresholds, row-major H x W: probabilities for {@link #MEDSAM}, upsampled
   * logits otherwise.
   */
  public float[] values(final float[] lowRes, final int lowResSize, final ModelSpace space) {
    if (this == MEDSAM) {
      final float[] probabilities = new float[lowRes.length];
      for (int n = 0; n < lowRes.length; n++) {
        probabilities[n] = sigmoid(lowRes[n]);
      }
      return LogitUpsampler.resizeToOriginal(probabilities, lowResSize, space, false);
    }
    return LogitUpsampler.resizeToOriginal(lowRes, lowResSize, space, this == LITEMEDSAM);
  }

  /** The mask of the original image for the decoder's low-res logits. */
  public BinaryMask toMask(final float[] lowRes, final int lowResSize, final ModelSpace space) {
    final float[] v = values(lowRes, lowResSize, space);
    final boolean[] px = new boolean[v.length];
    for (int n = 0; n < v.length; n++) {
      px[n] =
          switch (this) {
            case LOGITS -> v[n] > 0;
            case MEDSAM -> v[n] > 0.5f;
            case LITEMEDSAM -> sigmoid(v[n]) > 0.5f;
          };
    }
    return new BinaryMask(px, space.height(), space.width());
  }

  /** Float sigmoid 1 / (1 + exp(-x)) as PyTorch computes it for float tensors. */
  static float sigmoid(final float x) {
    return 1f / (1f + (float) Math.exp(-x));
  }
}
