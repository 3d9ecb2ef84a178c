package io.medsam.stream.trainer.publish;

/** Another trainer of the same decoder model holds its lease: this one must not start. */
public final class TrainerLeaseException extends Exception {

  private static final long serialVersionUID = 1L;

  /** With the reason, in words. */
  public TrainerLeaseException(final String message) {
    super(message);
  }
}
