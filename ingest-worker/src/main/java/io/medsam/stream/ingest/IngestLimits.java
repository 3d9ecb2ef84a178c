package io.medsam.stream.ingest;

/**
 * How large a scan the ingest worker takes; a scan past any limit is one dead letter naming the
 * sizes, refused before the large allocation wherever the size is known first (a NIfTI or image
 * header, a file's length).
 *
 * <p>Defaults, generous for real CT and MR: a slice of at most {@value #DEFAULT_MAX_SLICE_PIXELS}
 * pixels (4096×4096; CT and MR slices are 512×512 to 1024×1024, digital X-ray up to about 4300×3500
 * is the outlier to configure for); a volume of at most 2^31 − 17 voxels (the largest Java array,
 * so a {@code float[]} volume can hold it) and at most {@link Runtime#maxMemory()} / 20 voxels,
 * because a voxel costs about 4 bytes as float, up to 8 in the file bytes, 1 per slice per axis and
 * as much again encoded (about 20 bytes while a volume is read and sliced along all three axes); a
 * source of at most 2^31 − 17 bytes read or decompressed, and at most a quarter of the heap. A
 * 512×512×1000 CT (262 M voxels) so needs a heap of about 5 GiB; {@code medsam run
 * --max-volume-voxels} raises or lowers the bound.
 *
 * @param maxSlicePixels height × width of any slice cut from a scan (channels not counted)
 * @param maxVolumeVoxels nx × ny × nz of a volume
 * @param maxSourceBytes bytes read from a source: a file's length, a gzip file's decompressed
 *     length, the sum over a DICOM folder's files
 */
public record IngestLimits(long maxSlicePixels, long maxVolumeVoxels, long maxSourceBytes) {

  /** 4096 × 4096. */
  public static final long DEFAULT_MAX_SLICE_PIXELS = 4096L * 4096L;

  /** The largest Java array, and so the largest {@code float[]} volume or file read whole. */
  static final long ARRAY_LIMIT = Integer.MAX_VALUE - 16L;

  /** Validates that every limit is positive. */
  public IngestLimits {
    if (maxSlicePixels < 1 || maxVolumeVoxels < 1 || maxSourceBytes < 1) {
      throw new IllegalArgumentException(
          "ingest limits must be positive: slice "
              + maxSlicePixels
              + " pixels, volume "
              + maxVolumeVoxels
              + " voxels, source "
              + maxSourceBytes
              + " bytes");
    }
  }

  /** The defaults for this JVM's heap (see the type's doc). */
  public static IngestLimits defaults() {
    final long heap = Runtime.getRuntime().maxMemory();
    return new IngestLimits(
        DEFAULT_MAX_SLICE_PIXELS,
        Math.min(ARRAY_LIMIT, Math.max(1, heap / 20)),
        Math.min(ARRAY_LIMIT, Math.max(1, heap / 4)));
  }

  /** A copy with another slice limit. */
  public IngestLimits withMaxSlicePixels(final long pixels) {
    return new IngestLimits(pixels, maxVolumeVoxels, maxSourceBytes);
  }

  /** A copy with another volume limit. */
  public IngestLimits withMaxVolumeVoxels(final long voxels) {
    return new IngestLimits(maxSlicePixels, voxels, maxSourceBytes);
  }

  /** A copy with another source-size limit. */
  public IngestLimits withMaxSourceBytes(final long bytes) {
    return new IngestLimits(maxSlicePixels, maxVolumeVoxels, bytes);
  }
}
