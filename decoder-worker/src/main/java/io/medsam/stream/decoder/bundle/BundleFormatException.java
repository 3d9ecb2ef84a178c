package io.medsam.stream.decoder.bundle;

/**
 * The decoder worker's former bundle exception, kept only so that callers written against it
 * (the app's worker start-up) still compile; {@link io.medsam.stream.decoder.DecoderWorker}'s
 * constructor throws it. New code catches {@link io.medsam.stream.bundle.BundleFormatException},
 * its superclass.
 *
 * @deprecated the manifest reader moved to {@code io.medsam.stream.bundle}; remove once no caller
 *     names this type
 */
@Deprecated(forRemoval = true)
public final class BundleFormatException extends io.medsam.stream.bundle.BundleFormatException {

  private static final long serialVersionUID = 1L;

  /** @param cause the shared reader's exception, whose message this one repeats */
  public BundleFormatException(final io.medsam.stream.bundle.BundleFormatException cause) {
    super(cause.getMessage(), cause);
  }
}
