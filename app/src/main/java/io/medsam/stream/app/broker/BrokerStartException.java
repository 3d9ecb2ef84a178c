package io.medsam.stream.app.broker;

/** The embedded broker could not format its storage, bind its ports or come up. */
public final class BrokerStartException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed, naming the data directory or port
   * @param cause the underlying failure, may be null
   */
  public BrokerStartException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
