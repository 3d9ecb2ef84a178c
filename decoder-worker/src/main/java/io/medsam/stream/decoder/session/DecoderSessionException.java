package io.medsam.stream.decoder.session;

/** A decoder session could not be created or run. */
public final class DecoderSessionException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed
   * @param cause the ONNX Runtime failure
   */
  public DecoderSessionException(final String message, final Throwable cause) {
    super(message, cause);
  }

  /**
   * @param message what failed
   */
  public DecoderSessionException(final String message) {
    super(message);
  }
}
