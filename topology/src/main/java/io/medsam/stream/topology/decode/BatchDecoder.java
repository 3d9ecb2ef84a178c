package io.medsam.stream.topology.decode;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the {@link MaskDecoder} for a batch and never throws: when the batch fails as a whole, each
 * request is retried alone so that one bad pair cannot fail its neighbours, and a request that
 * still fails gets a {@link MaskOutcome.Failed} with the reason.
 */
final class BatchDecoder {

  private static final Logger LOG = LoggerFactory.getLogger(BatchDecoder.class);

  private final MaskDecoder decoder;

  BatchDecoder(final MaskDecoder decoder) {
    this.decoder = decoder;
  }

  /**
   * @return one outcome per request, in order
   */
  List<MaskOutcome> decode(final List<DecodeRequest> requests) {
    try {
      return call(requests);
    } catch (final MaskDecodingException | RuntimeException e) {
      if (requests.size() == 1) {
        LOG.warn(
            "decoding prompt {} failed: {}", requests.get(0).prompt().getPromptId(), e.toString());
        return List.of(error(e));
      }
      LOG.warn(
          "decoding a batch of {} failed ({}); retrying one by one", requests.size(), e.toString());
      final List<MaskOutcome> results = new ArrayList<>(requests.size());
      for (final DecodeRequest r : requests) {
        results.addAll(decode(List.of(r)));
      }
      return results;
    }
  }

  private List<MaskOutcome> call(final List<DecodeRequest> requests) throws MaskDecodingException {
    final List<MaskOutcome> results = decoder.decode(requests);
    if (results == null || results.size() != requests.size()) {
      throw new MaskDecodingException(
          "decoder returned "
              + (results == null ? "null" : results.size() + " results")
              + " for "
              + requests.size()
              + " requests");
    }
    if (results.contains(null)) {
      throw new MaskDecodingException("decoder returned a null outcome");
    }
    return results;
  }

  private static MaskOutcome error(final Exception e) {
    return new MaskOutcome.Failed(
        "decoder failed: " + (e.getMessage() == null ? e.getClass().getName() : e.getMessage()),
        null);
  }
}
