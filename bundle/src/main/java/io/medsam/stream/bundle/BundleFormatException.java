package io.medsam.stream.bundle;

/** A model bundle folder is missing, unreadable or does not follow the manifest contract. */
public class BundleFormatException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what is wrong
   */
  public BundleFormatException(final String message) {
    super(message);
  }

  /**
   * @param message what is wrong
   * @param cause the underlying failure
   */
  public BundleFormatException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
