package io.medsam.stream.topology.decode;

import io.medsam.stream.avro.MaskStatus;
import java.time.Duration;
import org.apache.kafka.streams.processor.Punctuator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timeout punctuation: answers TIMEOUT to every prompt that has waited {@code promptTimeout}
 * (wall clock since the worker received it) for its slice's embedding.
 */
final class PromptTimeouts implements Punctuator {

  private static final Logger LOG = LoggerFactory.getLogger(PromptTimeouts.class);

  private final Duration timeout;
  private final PromptStores stores;
  private final DecodeOutput output;

  PromptTimeouts(final Duration timeout, final PromptStores stores, final DecodeOutput output) {
    this.timeout = timeout;
    this.stores = stores;
    this.output = output;
  }

  @Override
  public void punctuate(final long nowMs) {
    for (final PendingPrompt pp : stores.takeExpired(nowMs, timeout.toMillis())) {
      final String slice = pp.prompt().getSliceKey();
      LOG.info(
          "prompt {} timed out waiting for the embedding of {}", pp.prompt().getPromptId(), slice);
      output.answer(
          pp, MaskStatus.TIMEOUT, "no embedding for slice " + slice + " within " + timeout, nowMs);
    }
  }
}
