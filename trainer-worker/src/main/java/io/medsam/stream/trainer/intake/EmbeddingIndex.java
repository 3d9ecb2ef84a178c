package io.medsam.stream.trainer.intake;

import io.medsam.stream.avro.SliceEmbedding;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the latest embedding of each slice is on the embeddings topic, plus the decoded embeddings
 * of the slices that have labelled pairs (shared by all pairs of a slice). Bytes of slices nobody
 * corrected are not kept. Single-threaded (the intake thread).
 */
final class EmbeddingIndex {

  /**
   * One embedding record's place.
   *
   * @param sliceKey its key
   * @param partition embeddings topic partition
   * @param offset its offset
   */
  record Location(String sliceKey, int partition, long offset) {}

  private final Map<String, Location> latest = new HashMap<>();
  // read by monitoring threads (loadedCount), written by the intake thread
  private final Map<String, SliceEmbedding> loaded = new ConcurrentHashMap<>();

  /** Records a slice's newer embedding; a loaded older one is dropped. */
  void put(final Location where) {
    final Location before = latest.put(where.sliceKey(), where);
    if (before != null && before.offset() != where.offset()) {
      loaded.remove(where.sliceKey());
    }
  }

  /** Forgets a slice (tombstone). */
  void remove(final String sliceKey) {
    latest.remove(sliceKey);
    loaded.remove(sliceKey);
  }

  Optional<Location> locate(final String sliceKey) {
    return Optional.ofNullable(latest.get(sliceKey));
  }

  /** The decoded latest embedding of a slice, if loaded. */
  Optional<SliceEmbedding> loaded(final String sliceKey) {
    return Optional.ofNullable(loaded.get(sliceKey));
  }

  /** Keeps a slice's decoded latest embedding (a pair now uses it). */
  void keep(final SliceEmbedding embedding) {
    loaded.put(embedding.getSliceKey(), embedding);
  }

  /** Slices whose embedding bytes are held. */
  int loadedCount() {
    return loaded.size();
  }

  /** Slices with a known embedding. */
  int size() {
    return latest.size();
  }
}
