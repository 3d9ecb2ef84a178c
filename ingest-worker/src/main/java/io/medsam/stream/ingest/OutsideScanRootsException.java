package io.medsam.stream.ingest;

/**
 * A ScanEvent names a file source that {@link ScanRoots} do not let this worker read: outside every
 * root, escaping one through {@code ..} or a symbolic link, relative, or missing. The message names
 * the path only by a hash of it.
 */
public final class OutsideScanRootsException extends UnreadableScanException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message why, naming the path only by its hash
   */
  public OutsideScanRootsException(final String message) {
    super(message);
  }
}
