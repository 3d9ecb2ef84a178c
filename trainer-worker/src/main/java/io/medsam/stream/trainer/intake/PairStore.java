package io.medsam.stream.trainer.intake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trainer's labelled pairs, deduplicated by correctionId (the first one wins), in arrival
 * order. Thread-safe: intake adds, the training run takes snapshots.
 */
public final class PairStore {

  private final Map<String, TrainingPair> pairs = new LinkedHashMap<>();

  /** Adds a pair; false when a pair with its correctionId is already there. */
  public synchronized boolean add(final TrainingPair pair) {
    return pairs.putIfAbsent(pair.correctionId(), pair) == null;
  }

  /** True when a pair with this correctionId is there. */
  public synchronized boolean contains(final String correctionId) {
    return pairs.containsKey(correctionId);
  }

  /** Number of pairs. */
  public synchronized int size() {
    return pairs.size();
  }

  /** All pairs, in arrival order. */
  public synchronized List<TrainingPair> snapshot() {
    return new ArrayList<>(pairs.values());
  }
}
