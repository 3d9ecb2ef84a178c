package io.medsam.stream.topology.decode;

import io.medsam.stream.avro.SliceEmbedding;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The join state of one task: the latest embedding per sliceKey, prompts waiting for their
 * embedding ("pending") and prompts paired and waiting for the next batch ("ready"). Prompts are
 * keyed sliceKey NUL promptId, so the prompts of a slice are one prefix scan.
 */
final class PromptStores {

  private final KeyValueStore<String, SliceEmbedding> embeddings;
  private final KeyValueStore<String, PendingPrompt> pending;
  private final KeyValueStore<String, PendingPrompt> ready;
  private final StringSerializer prefixSerializer = new StringSerializer();
  private int readyCount;

  PromptStores(
      final KeyValueStore<String, SliceEmbedding> embeddings,
      final KeyValueStore<String, PendingPrompt> pending,
      final KeyValueStore<String, PendingPrompt> ready) {
    this.embeddings = embeddings;
    this.pending = pending;
    this.ready = ready;
    this.readyCount = (int) ready.approximateNumEntries();
  }

  /** The decode topology's three stores, as registered with the processor. */
  static PromptStores of(final ProcessorContext<?, ?> context) {
    return new PromptStores(
        context.getStateStore(DecodeTopology.EMBEDDING_STORE),
        context.getStateStore(DecodeTopology.PENDING_STORE),
        context.getStateStore(DecodeTopology.READY_STORE));
  }

  /** The latest embedding of a slice, or null. */
  SliceEmbedding embedding(final String sliceKey) {
    return embeddings.get(sliceKey);
  }

  void putEmbedding(final String sliceKey, final SliceEmbedding embedding) {
    embeddings.put(sliceKey, embedding);
  }

  void deleteEmbedding(final String sliceKey) {
    embeddings.delete(sliceKey);
  }

  /** Parks a prompt until its slice's embedding lands (or it times out). */
  void waitForEmbedding(final PendingPrompt prompt) {
    pending.put(prompt.storeKey(), prompt);
  }

  /**
   * Prompts waiting for an embedding in this task. The store is in memory, where the count is exact
   * (RocksDB's would be an estimate).
   */
  long waitingCount() {
    return pending.approximateNumEntries();
  }

  /** Removes and returns the prompts waiting for this slice's embedding. */
  List<PendingPrompt> takeWaiting(final String sliceKey) {
    final List<KeyValue<String, PendingPrompt>> waiting = new ArrayList<>();
    try (KeyValueIterator<String, PendingPrompt> it =
        pending.prefixScan(PendingPrompt.slicePrefix(sliceKey), prefixSerializer)) {
      it.forEachRemaining(waiting::add);
    }
    return removeAll(pending, waiting);
  }

  /** Removes and returns the prompts that have waited at least {@code limitMs} by {@code nowMs}. */
  List<PendingPrompt> takeExpired(final long nowMs, final long limitMs) {
    final List<KeyValue<String, PendingPrompt>> expired = new ArrayList<>();
    try (KeyValueIterator<String, PendingPrompt> it = pending.all()) {
      while (it.hasNext()) {
        final KeyValue<String, PendingPrompt> kv = it.next();
        if (nowMs - kv.value.receivedAtMs() >= limitMs) {
          expired.add(kv);
        }
      }
    }
    return removeAll(pending, expired);
  }

  /**
   * Queues a paired prompt for the next batch.
   *
   * @return how many prompts are ready now
   */
  int markReady(final PendingPrompt prompt) {
    ready.put(prompt.storeKey(), prompt);
    return ++readyCount;
  }

  /** Prompts ready for the next batch, as counted since this task started. */
  int readyCount() {
    return readyCount;
  }

  /** Whether any prompt is ready (also after a restart with prompts restored into the store). */
  boolean anyReady() {
    return readyCount > 0 || ready.approximateNumEntries() > 0;
  }

  /**
   * Removes and returns up to {@code max} ready prompts, in store order; none once the store is
   * empty, which also resets the ready count.
   */
  List<PendingPrompt> takeReady(final int max) {
    final List<KeyValue<String, PendingPrompt>> taken = new ArrayList<>();
    try (KeyValueIterator<String, PendingPrompt> it = ready.all()) {
      while (it.hasNext() && taken.size() < max) {
        taken.add(it.next());
      }
    }
    if (taken.isEmpty()) {
      readyCount = 0;
    }
    return removeAll(ready, taken);
  }

  private static List<PendingPrompt> removeAll(
      final KeyValueStore<String, PendingPrompt> store,
      final List<KeyValue<String, PendingPrompt>> entries) {
    final List<PendingPrompt> out = new ArrayList<>(entries.size());
    for (final KeyValue<String, PendingPrompt> kv : entries) {
      store.delete(kv.key);
      out.add(kv.value);
    }
    return out;
  }
}
