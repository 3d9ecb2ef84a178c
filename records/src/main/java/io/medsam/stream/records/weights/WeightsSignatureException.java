package io.medsam.stream.records.weights;

/** A DecoderWeights record is unsigned, or its signature is not valid for the trusted key. */
public final class WeightsSignatureException extends Exception {

  private static final long serialVersionUID = 1L;

  /** With the reason, in words. */
  public WeightsSignatureException(final String message) {
    super(message);
  }
}
