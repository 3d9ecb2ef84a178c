package io.medsam.stream.decoder.session;

/**
 * Raw decoder outputs for a batch of N prompts.
 *
 * @param lowResLogits N x L x L logits, row-major
 * @param iouPredictions N predicted IoUs
 * @param count N
 * @param lowResSize L
 */
public record DecoderOutput(
    float[] lowResLogits, float[] iouPredictions, int count, int lowResSize) {

  /**
   * @param i prompt index in the batch
   * @return a copy of the i-th L x L logit plane
   */
  public float[] logits(final int i) {
    final int plane = lowResSize * lowResSize;
    final float[] out = new float[plane];
    System.arraycopy(lowResLogits, i * plane, out, 0, plane);
    return out;
  }
}
