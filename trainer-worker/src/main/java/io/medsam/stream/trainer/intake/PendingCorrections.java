package io.medsam.stream.trainer.intake;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Corrections waiting for their slice's embedding, each with a deadline. Bounded: beyond {@code
 * capacity} waiting corrections the caller must reject instead of adding.
 */
final class PendingCorrections {

  /** A correction record that has not found its embedding yet. */
  record Waiting(
      String sliceKey, String key, byte[] payload, int partition, long offset, Instant deadline) {}

  private final int capacity;
  private final Map<String, List<Waiting>> bySlice = new LinkedHashMap<>();
  private int size;

  PendingCorrections(final int capacity) {
    this.capacity = capacity;
  }

  boolean isFull() {
    return size >= capacity;
  }

  int size() {
    return size;
  }

  void add(final Waiting w) {
    bySlice.computeIfAbsent(w.sliceKey(), k -> new ArrayList<>()).add(w);
    size++;
  }

  /** Removes and returns everything that waited for this slice. */
  List<Waiting> release(final String sliceKey) {
    final List<Waiting> out = bySlice.remove(sliceKey);
    if (out == null) {
      return List.of();
    }
    size -= out.size();
    return out;
  }

  /** Removes and returns everything whose deadline is not after {@code now}. */
  List<Waiting> expire(final Instant now) {
    final List<Waiting> out = new ArrayList<>();
    final Iterator<List<Waiting>> it = bySlice.values().iterator();
    while (it.hasNext()) {
      final List<Waiting> list = it.next();
      list.removeIf(
          w -> {
            if (!w.deadline().isAfter(now)) {
              out.add(w);
              return true;
            }
            return false;
          });
      if (list.isEmpty()) {
        it.remove();
      }
    }
    size -= out.size();
    return out;
  }

  /** Lowest waiting offset of a partition, if any waits there. */
  OptionalLong lowestOffset(final int partition) {
    return bySlice.values().stream()
        .flatMap(List::stream)
        .filter(w -> w.partition() == partition)
        .mapToLong(Waiting::offset)
        .min();
  }
}
