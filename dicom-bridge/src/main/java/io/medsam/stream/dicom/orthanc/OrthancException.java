package io.medsam.stream.dicom.orthanc;

import java.io.IOException;

/** An Orthanc request that failed: unreachable, or an HTTP status other than 2xx. */
public class OrthancException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The status of a request that got no HTTP answer (unreachable, timed out, interrupted). */
  public static final int NO_ANSWER = 0;

  /** The status of a request refused before it was sent (an id that is not Orthanc's form). */
  public static final int REFUSED = 400;

  private final int status;

  /** With the request and what went wrong (never a patient attribute); no HTTP status. */
  public OrthancException(final String message) {
    this(message, NO_ANSWER);
  }

  /** With the request, what went wrong and the HTTP status Orthanc answered. */
  public OrthancException(final String message, final int status) {
    super(message);
    this.status = status;
  }

  /** With the request, what went wrong, the HTTP status Orthanc answered and the cause. */
  public OrthancException(final String message, final int status, final Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** With the request, what went wrong and the cause; no HTTP status. */
  public OrthancException(final String message, final Throwable cause) {
    super(message, cause);
    this.status = NO_ANSWER;
  }

  /** The HTTP status Orthanc answered, or {@link #NO_ANSWER}. */
  public int status() {
    return status;
  }

  /** Whether Orthanc did not answer at all (down, unreachable, timed out): worth retrying. */
  public boolean unreachable() {
    return status == NO_ANSWER;
  }
}
