package io.medsam.stream.decoder.session;

/** A DecoderWeights record does not fit the bundle's decoder (names, shapes, dtype, bytes). */
public final class WeightsRejectedException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * @param message which tensor is wrong and how
   */
  public WeightsRejectedException(final String message) {
    super(message);
  }

  /**
   * @param message what went wrong
   * @param cause the underlying failure
   */
  public WeightsRejectedException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
