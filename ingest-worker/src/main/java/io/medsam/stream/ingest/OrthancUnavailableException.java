package io.medsam.stream.ingest;

/**
 * The Orthanc a scan names did not answer (down, unreachable, timed out): the scan is not a dead
 * letter, the worker reads it again after a pause.
 */
public class OrthancUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * @param message which Orthanc and what failed
   * @param cause the client's failure
   */
  public OrthancUnavailableException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
