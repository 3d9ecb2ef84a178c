package io.medsam.stream.imaging.metrics;

import io.medsam.stream.imaging.SliceAxis;
import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.mask.BinaryMask;

/**
 * Moves 2D slice masks into and out of a 3D mask with the same slicing convention as {@link
 * io.medsam.stream.imaging.preprocess.VolumeSlicer}, so per-slice predictions can be scored in 3D
 * (docs/architecture.md §3: DSC and NSD per target over the stacked slices).
 */
public final class SliceStack {

  private SliceStack() {}

  /** The grid of a volume (sizes and spacing). */
  public static VoxelGrid gridOf(final Volume v) {
    return new VoxelGrid(v.nx(), v.ny(), v.nz(), v.dx(), v.dy(), v.dz());
  }

  /** Writes {@code slice} into {@code volumeMask} as slice {@code index} along {@code axis}. */
  public static void put(
      final boolean[] volumeMask,
      final VoxelGrid g,
      final SliceAxis axis,
      final int index,
      final BinaryMask slice) {
    g.check(volumeMask, "volume mask");
    final int[] hw = size(g, axis);
    if (slice.height() != hw[0] || slice.width() != hw[1]) {
      throw new IllegalArgumentException(
          axis.wireName()
              + " slice must be "
              + hw[0]
              + "x"
              + hw[1]
              + ", got "
              + slice.height()
              + "x"
              + slice.width());
    }
    for (int r = 0; r < hw[0]; r++) {
      for (int c = 0; c < hw[1]; c++) {
        volumeMask[voxel(g, axis, index, r, c)] = slice.pixels()[r * hw[1] + c];
      }
    }
  }

  /** Reads slice {@code index} along {@code axis} out of {@code volumeMask}. */
  public static BinaryMask get(
      final boolean[] volumeMask, final VoxelGrid g, final SliceAxis axis, final int index) {
    g.check(volumeMask, "volume mask");
    final int[] hw = size(g, axis);
    final boolean[] px = new boolean[hw[0] * hw[1]];
    for (int r = 0; r < hw[0]; r++) {
      for (int c = 0; c < hw[1]; c++) {
        px[r * hw[1] + c] = volumeMask[voxel(g, axis, index, r, c)];
      }
    }
    return new BinaryMask(px, hw[0], hw[1]);
  }

  private static int[] size(final VoxelGrid g, final SliceAxis axis) {
    return switch (axis) {
      case AXIAL -> new int[] {g.ny(), g.nx()};
      case CORONAL -> new int[] {g.nz(), g.nx()};
      case SAGITTAL -> new int[] {g.nz(), g.ny()};
      case TWO_D -> throw new IllegalArgumentException("a volume has no '2d' slices");
    };
  }

  private static int voxel(
      final VoxelGrid g, final SliceAxis axis, final int index, final int r, final int c) {
    final int i;
    final int j;
    final int k;
    switch (axis) {
      case AXIAL -> {
        i = c;
        j = r;
        k = index;
      }
      case CORONAL -> {
        i = c;
        j = index;
        k = r;
      }
      default -> {
        i = index;
        j = c;
        k = r;
      }
    }
    if (i < 0 || i >= g.nx() || j < 0 || j >= g.ny() || k < 0 || k >= g.nz()) {
      throw new IndexOutOfBoundsException(axis.wireName() + " slice " + index);
    }
    return i + g.nx() * (j + g.ny() * k);
  }
}
