package io.medsam.stream.encoder;

/**
 * A model bundle is missing or malformed (wrapping {@link
 * io.medsam.stream.bundle.BundleFormatException}) or ONNX Runtime cannot load its encoder.
 */
public class BundleException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what is wrong, naming the bundle path
   */
  public BundleException(final String message) {
    super(message);
  }

  /**
   * @param message what is wrong, naming the bundle path
   * @param cause the underlying failure
   */
  public BundleException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
