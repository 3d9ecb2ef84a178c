package io.medsam.stream.topology.decode;

import io.medsam.stream.avro.MaskStatus;
import io.medsam.stream.avro.SliceEmbedding;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batching of paired prompts: a paired prompt goes to the ready store, which is decoded as batches
 * of at most {@code maxBatchSize} when it is full, when asked to flush (an embedding paired waiting
 * prompts, a lone prompt arrived, or the flush punctuation fired) or, for a lone prompt with
 * nothing ready, at once without passing through the store. Every box is checked against its
 * slice's image size right before it is decoded (the embedding may have been replaced meanwhile).
 */
final class DecodeBatcher {

  private static final Logger LOG = LoggerFactory.getLogger(DecodeBatcher.class);

  private final int maxBatchSize;
  private final BatchDecoder decoder;
  private final PromptStores stores;
  private final DecodeOutput output;

  DecodeBatcher(
      final DecodeTopologyConfig config, final PromptStores stores, final DecodeOutput output) {
    this.maxBatchSize = config.maxBatchSize();
    this.decoder = new BatchDecoder(config.decoder());
    this.stores = stores;
    this.output = output;
  }

  /** Decodes a lone prompt at once, as a batch of one. */
  void decodeNow(final PendingPrompt pp, final SliceEmbedding embedding, final long nowMs) {
    decode(
        List.of(new DecodeRequest(pp.prompt(), embedding, Instant.ofEpochMilli(nowMs))),
        List.of(pp));
  }

  /** Checks the box against the image size and queues the prompt; flushes a full batch. */
  void add(final PendingPrompt pp, final SliceEmbedding embedding, final long nowMs) {
    final Optional<String> problem = DecodeChecks.boxProblem(pp.prompt(), embedding);
    if (problem.isPresent()) {
      output.answer(pp, MaskStatus.INVALID_PROMPT, problem.get(), nowMs);
      return;
    }
    if (stores.markReady(pp) >= maxBatchSize) {
      flush(nowMs);
    }
  }

  /** Flushes when anything is ready; returns whether it did. */
  boolean flushIfReady(final long nowMs) {
    if (stores.anyReady()) {
      flush(nowMs);
      return true;
    }
    return false;
  }

  /** Decodes every ready prompt, at most maxBatchSize per decoder call. */
  void flush(final long nowMs) {
    for (List<PendingPrompt> taken = stores.takeReady(maxBatchSize);
        !taken.isEmpty();
        taken = stores.takeReady(maxBatchSize)) {
      final List<DecodeRequest> requests = new ArrayList<>(taken.size());
      final List<PendingPrompt> prompts = new ArrayList<>(taken.size());
      for (final PendingPrompt pp : taken) {
        final SliceEmbedding embedding = stores.embedding(pp.prompt().getSliceKey());
        if (embedding == null) {
          stores.waitForEmbedding(pp); // the embedding was deleted meanwhile: wait again
          continue;
        }
        final Optional<String> problem = DecodeChecks.boxProblem(pp.prompt(), embedding);
        if (problem.isPresent()) {
          output.answer(pp, MaskStatus.INVALID_PROMPT, problem.get(), nowMs);
          continue;
        }
        requests.add(
            new DecodeRequest(pp.prompt(), embedding, Instant.ofEpochMilli(pp.receivedAtMs())));
        prompts.add(pp);
      }
      if (!requests.isEmpty()) {
        decode(requests, prompts);
      }
    }
  }

  /** Decodes one batch and sends a result per prompt, produced when the decoder finished. */
  private void decode(final List<DecodeRequest> requests, final List<PendingPrompt> prompts) {
    final long start = System.nanoTime();
    final List<MaskOutcome> outcomes = decoder.decode(requests);
    final long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    LOG.debug("decoded a batch of {} in {} ms", requests.size(), elapsedMs);
    final long done = output.nowMs() + elapsedMs;
    for (int i = 0; i < outcomes.size(); i++) {
      output.send(prompts.get(i), MaskResults.of(requests.get(i), outcomes.get(i), done), done);
    }
  }
}
