package io.medsam.stream.ingest;

/**
 * A scan past one of the {@link IngestLimits} (pixels per slice, voxels per volume, bytes read or
 * decompressed) or a slice record past its topic's {@code max.message.bytes}; the message names the
 * size and the limit.
 */
public final class ScanTooLargeException extends UnreadableScanException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what is too large: its size and the limit
   */
  public ScanTooLargeException(final String message) {
    super(message);
  }
}
