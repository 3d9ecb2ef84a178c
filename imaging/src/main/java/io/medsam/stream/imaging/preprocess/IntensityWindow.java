package io.medsam.stream.imaging.preprocess;

import io.medsam.stream.imaging.Volume;
import java.util.Arrays;

/**
 * Maps physical intensities to 8 bits as MedSAM's preprocessing does: clip to [lower, upper], scale
 * linearly to [0, 255] and truncate (numpy's {@code np.uint8} cast).
 *
 * <p>CT uses a fixed Hounsfield window (paper: [-500, 1000]); the bounds are the window itself, not
 * the min/max of the clipped slice, so every slice of a scan maps alike. Other modalities use the
 * 0.5th and 99.5th percentiles (numpy's linear interpolation) of the voxels &gt; 0 over the whole
 * volume, exactly as MedSAM's {@code image_data[image_data > 0]} (identical to "non-zero" for
 * non-negative MR/PET data); values below the lower bound clip up to it and so map to 0, and voxels
 * that are exactly 0 stay 0 ({@code keepZeros}). When upper == lower, values at or above the bound
 * map to 255 and the rest to 0.
 *
 * @param lower value mapped to 0
 * @param upper value mapped to 255
 * @param keepZeros whether voxels equal to 0 are forced to 0 after scaling
 */
public record IntensityWindow(double lower, double upper, boolean keepZeros) {

  /** Lower bound of the paper's CT window, HU. */
  public static final double CT_LOWER_HU = -500;

  /** Upper bound of the paper's CT window, HU. */
  public static final double CT_UPPER_HU = 1000;

  /** Validates the bounds. */
  public IntensityWindow {
    if (!Double.isFinite(lower) || !Double.isFinite(upper) || upper < lower) {
      throw new IllegalArgumentException("bad intensity window [" + lower + ", " + upper + "]");
    }
  }

  /** The paper's CT window [-500, 1000] HU. */
  public static IntensityWindow ctDefault() {
    return ct(CT_LOWER_HU, CT_UPPER_HU);
  }

  /** A CT window [lowerHu, upperHu]. */
  public static IntensityWindow ct(final double lowerHu, final double upperHu) {
    return new IntensityWindow(lowerHu, upperHu, false);
  }

  /**
   * The percentile window over the voxels &gt; 0 (MedSAM: 0.5 and 99.5); a volume with no positive
   * voxel gets [0, 0], which maps everything to 0.
   */
  public static IntensityWindow percentileOfPositive(
      final float[] voxels, final double lowPct, final double highPct) {
    int n = 0;
    for (final float v : voxels) {
      if (v > 0) {
        n++;
      }
    }
    if (n == 0) {
      return new IntensityWindow(0, 0, true);
    }
    final float[] positive = new float[n];
    int p = 0;
    for (final float v : voxels) {
      if (v > 0) {
        positive[p++] = v;
      }
    }
    Arrays.sort(positive);
    return new IntensityWindow(percentile(positive, lowPct), percentile(positive, highPct), true);
  }

  /**
   * The window docs/architecture.md §3 prescribes for a scan: the CT window for CT, else
   * percentiles.
   */
  public static IntensityWindow forScan(final Volume volume) {
    return volume.metadata().isCt()
        ? ctDefault()
        : percentileOfPositive(volume.voxels(), 0.5, 99.5);
  }

  /** numpy.percentile with linear interpolation, on sorted data. */
  public static double percentile(final float[] sorted, final double pct) {
    if (sorted.length == 0 || pct < 0 || pct > 100) {
      throw new IllegalArgumentException("percentile " + pct + " of " + sorted.length + " values");
    }
    final double rank = pct / 100.0 * (sorted.length - 1);
    final int lo = (int) Math.floor(rank);
    final int hi = Math.min(lo + 1, sorted.length - 1);
    final double frac = rank - lo;
    return sorted[lo] + frac * ((double) sorted[hi] - sorted[lo]);
  }

  /** The 8-bit value (0..255) of one intensity. */
  public int toUint8(final float value) {
    if (keepZeros && value == 0) {
      return 0;
    }
    if (upper == lower) {
      return value >= upper ? 255 : 0;
    }
    final double clipped = Math.min(Math.max(value, lower), upper);
    return (int) ((clipped - lower) / (upper - lower) * 255.0);
  }

  /** Maps every value to an unsigned byte. */
  public byte[] apply(final float[] values) {
    final byte[] out = new byte[values.length];
    for (int n = 0; n < values.length; n++) {
      out[n] = (byte) toUint8(values[n]);
    }
    return out;
  }
}
