package io.medsam.stream.topology.decode;

/** A batch of prompts could not be decoded (model session failure, bad tensor shapes, ...). */
public final class MaskDecodingException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what went wrong
   * @param cause the underlying failure, may be null
   */
  public MaskDecodingException(final String message, final Throwable cause) {
    super(message, cause);
  }

  /**
   * @param message what went wrong
   */
  public MaskDecodingException(final String message) {
    super(message);
  }
}
