package io.medsam.stream.topology.decode;

import io.medsam.stream.avro.MaskResult;
import java.util.List;

/**
 * Turns prompt/embedding pairs into masks. Implementations decode the whole list as one batch and
 * return one result per request, in request order.
 *
 * <p>A result may carry status {@code ERROR} for a single request that could not be decoded (for
 * example an embedding of the wrong shape); a failure of the whole batch is reported by throwing
 * {@link MaskDecodingException}. The topology sets {@code producedAt} and {@code latencyMillis};
 * implementations fill everything else, including the decoder weights version that produced the
 * mask.
 */
public interface MaskDecoder {

  /**
   * Decodes a batch.
   *
   * @param requests prompts that are ready together, each with the embedding of its slice
   * @return one result per request, in the same order
   * @throws MaskDecodingException when the batch as a whole cannot be decoded
   */
  List<MaskResult> decode(List<DecodeRequest> requests) throws MaskDecodingException;
}
