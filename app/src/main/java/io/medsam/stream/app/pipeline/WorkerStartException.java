package io.medsam.stream.app.pipeline;

/** A worker could not start (its model bundle is unreadable, or its runtime failed to load). */
public final class WorkerStartException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed
   * @param cause the underlying failure
   */
  public WorkerStartException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
