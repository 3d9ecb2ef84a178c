package io.medsam.stream.viewer.http;

/** A request the API refuses, with the HTTP status and the message the page shows. */
public final class ApiException extends Exception {

  private static final long serialVersionUID = 1L;

  private final int status;

  /**
   * @param status the HTTP status (4xx for the caller's mistakes)
   * @param message what went wrong, in words a clinician can act on
   */
  public ApiException(final int status, final String message) {
    super(message);
    this.status = status;
  }

  /**
   * @return the HTTP status
   */
  public int status() {
    return status;
  }
}
