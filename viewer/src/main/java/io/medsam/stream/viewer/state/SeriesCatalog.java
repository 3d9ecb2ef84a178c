package io.medsam.stream.viewer.state;

import io.medsam.stream.avro.ImageSlice;
import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.topology.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The series the service knows: every ScanEvent on medsam.scans.v1 and every ImageSlice on
 * medsam.slices.v1 (the latest of each sliceKey, pixels kept in memory), read from the beginning
 * and followed.
 */
public final class SeriesCatalog implements AutoCloseable {

  /** What a page lists about one series. */
  public record Series(
      String seriesUid,
      Optional<ScanEvent> scan,
      Map<String, NavigableMap<Integer, StoredSlice>> axes) {}

  private final Map<String, ScanEvent> scans = new ConcurrentHashMap<>();
  private final Map<String, Map<String, NavigableMap<Integer, StoredSlice>>> slices =
      new ConcurrentHashMap<>();
  private final Map<String, StoredSlice> byKey = new ConcurrentHashMap<>();
  private final TopicLog<ScanEvent> scanLog;
  private final TopicLog<ImageSlice> sliceLog;

  /**
   * Starts reading both topics.
   *
   * @param bootstrapServers the cluster
   */
  public SeriesCatalog(final String bootstrapServers) {
    this.scanLog =
        new TopicLog<>(
            bootstrapServers,
            Topics.SCANS,
            ScanEvent.class,
            (k, s) -> scans.put(s.getSeriesUid(), s));
    this.sliceLog = new TopicLog<>(bootstrapServers, Topics.SLICES, ImageSlice.class, this::add);
  }

  private void add(final String key, final ImageSlice s) {
    final StoredSlice stored = StoredSlice.of(s);
    byKey.put(stored.sliceKey(), stored);
    slices
        .computeIfAbsent(stored.seriesUid(), k -> new ConcurrentHashMap<>())
        .computeIfAbsent(stored.axis(), k -> new ConcurrentSkipListMap<>())
        .put(stored.index(), stored);
  }

  /**
   * @return every series seen on either topic, by series UID
   */
  public List<Series> series() {
    final TreeMap<String, Series> all = new TreeMap<>();
    for (final String uid : scans.keySet()) {
      all.put(uid, series(uid).orElseThrow());
    }
    for (final String uid : slices.keySet()) {
      all.put(uid, series(uid).orElseThrow());
    }
    return new ArrayList<>(all.values());
  }

  /**
   * @param seriesUid a series
   * @return its scan (if seen) and slices per axis, or empty when neither was seen
   */
  public Optional<Series> series(final String seriesUid) {
    final ScanEvent scan = scans.get(seriesUid);
    final Map<String, NavigableMap<Integer, StoredSlice>> axes = slices.get(seriesUid);
    if (scan == null && axes == null) {
      return Optional.empty();
    }
    final Map<String, NavigableMap<Integer, StoredSlice>> copy = new TreeMap<>();
    if (axes != null) {
      axes.forEach((axis, m) -> copy.put(axis, new TreeMap<>(m)));
    }
    return Optional.of(new Series(seriesUid, Optional.ofNullable(scan), copy));
  }

  /**
   * @param sliceKey a slice
   * @return the slice, when it was ingested
   */
  public Optional<StoredSlice> slice(final String sliceKey) {
    return Optional.ofNullable(byKey.get(sliceKey));
  }

  /**
   * Waits until both topics are read up to where they ended when the catalog started.
   *
   * @return false when the time ran out
   */
  public boolean awaitCaughtUp(final Duration timeout) throws InterruptedException {
    final long deadline = System.nanoTime() + timeout.toNanos();
    return scanLog.awaitCaughtUp(timeout)
        && sliceLog.awaitCaughtUp(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
  }

  @Override
  public void close() {
    scanLog.close();
    sliceLog.close();
  }
}
