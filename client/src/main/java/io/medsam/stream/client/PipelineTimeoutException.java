package io.medsam.stream.client;

/** The pipeline did not answer in time (no embedding, or no MaskResult). */
public final class PipelineTimeoutException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what did not arrive
   */
  public PipelineTimeoutException(final String message) {
    super(message);
  }
}
