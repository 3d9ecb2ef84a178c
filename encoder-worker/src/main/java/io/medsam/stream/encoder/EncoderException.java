package io.medsam.stream.encoder;

/** ONNX Runtime failed to run the image encoder on a batch. */
public class EncoderException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed
   * @param cause the ONNX Runtime failure
   */
  public EncoderException(final String message, final Throwable cause) {
    super(message, cause);
  }

  /**
   * @param message what failed
   */
  public EncoderException(final String message) {
    super(message);
  }
}
