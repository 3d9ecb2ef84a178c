package io.medsam.stream.trainer.publish;

/** Weights could not be published (broker did not acknowledge, or unknown version). */
public final class WeightsPublicationException extends Exception {

  private static final long serialVersionUID = 1L;

  /** With a message and an optional cause. */
  public WeightsPublicationException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
