package io.medsam.stream.imaging;

import java.util.Locale;

/**
 * Axis along which a volume is cut into 2D slices (see the slicing convention in the README's
 * Conventions; docs/architecture.md §3). {@link #TWO_D} marks images that were 2D to begin with.
 */
public enum SliceAxis {
  /** Slices of constant k: image[r][c] = vol[c][r][k]. */
  AXIAL("axial"),
  /** Slices of constant j: image[r][c] = vol[c][j][r]. */
  CORONAL("coronal"),
  /** Slices of constant i: image[r][c] = vol[i][c][r]. */
  SAGITTAL("sagittal"),
  /** A native 2D image (PNG, JPEG, single-frame projection radiograph). */
  TWO_D("2d");

  private final String wireName;

  SliceAxis(final String wireName) {
    this.wireName = wireName;
  }

  /** The name used in slice keys and records: axial, coronal, sagittal or 2d. */
  public String wireName() {
    return wireName;
  }

  /** Parses a wire name (case-insensitive). */
  public static SliceAxis fromWireName(final String name) {
    final String n = name.toLowerCase(Locale.ROOT);
    for (final SliceAxis a : values()) {
      if (a.wireName.equals(n)) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unknown slice axis '" + name + "' (expected axial, coronal, sagittal or 2d)");
  }

  /** The slice key {@code <seriesUid>/<axis>/<index>}. */
  public String sliceKey(final String seriesUid, final int index) {
    return seriesUid + "/" + wireName + "/" + index;
  }
}
