package io.medsam.stream.trainer.intake;

/** A correction that must not be trained on; the message is the dead letter's reason. */
public final class InvalidCorrectionException extends Exception {

  private static final long serialVersionUID = 1L;

  /** With the reason for the rejection. */
  public InvalidCorrectionException(final String reason) {
    super(reason);
  }

  /** With the reason and its cause. */
  public InvalidCorrectionException(final String reason, final Throwable cause) {
    super(reason, cause);
  }
}
