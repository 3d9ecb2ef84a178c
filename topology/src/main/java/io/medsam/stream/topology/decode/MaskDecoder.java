package io.medsam.stream.topology.decode;

import java.util.List;

/**
 * Turns prompt/embedding pairs into masks. Implementations decode the whole list as one batch and
 * return one {@link MaskOutcome} per request, in request order.
 *
 * <p>An outcome may be {@link MaskOutcome.Failed} for a single request that could not be decoded
 * (for example an embedding of the wrong shape); a failure of the whole batch is reported by
 * throwing {@link MaskDecodingException}. The topology builds the MaskResult (ids, label, encoder
 * model id, producedAt, latency, RLE, bbox, area) from the request and the outcome.
 */
public interface MaskDecoder {

  /**
   * Decodes a batch.
   *
   * @param requests prompts that are ready together, each with the embedding of its slice
   * @return one outcome per request, in the same order
   * @throws MaskDecodingException when the batch as a whole cannot be decoded
   */
  List<MaskOutcome> decode(List<DecodeRequest> requests) throws MaskDecodingException;
}
