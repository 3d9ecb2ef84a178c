package io.medsam.stream.dicom.orthanc;

import java.io.IOException;

/** An Orthanc request that failed: unreachable, or an HTTP status other than 2xx. */
public class OrthancException extends IOException {
  private static final long serialVersionUID = 1L;

  /** With the request and what went wrong (never a patient attribute). */
  public OrthancException(final String message) {
    super(message);
  }

  /** With the request, what went wrong and the cause. */
  public OrthancException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
