package io.medsam.stream.ingest;

/**
 * A scan's source cannot be turned into slices: missing, unreadable, corrupt, or in an encoding
 * this service does not decode (e.g. a compressed DICOM transfer syntax). The message names the
 * source and the reason; it becomes the DeadLetter's reason.
 */
public class UnreadableScanException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * @param message the source and the reason
   */
  public UnreadableScanException(final String message) {
    super(message);
  }

  /**
   * @param message the source and the reason
   * @param cause the reader's failure
   */
  public UnreadableScanException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
