package io.medsam.stream.decoder.bench;

/** The benchmark could not run to the end. */
public final class BenchmarkException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed
   * @param cause the underlying failure, may be null
   */
  public BenchmarkException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
