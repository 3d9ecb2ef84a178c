package io.medsam.stream.topology.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that moves only when a test moves it, shared safely between threads. */
public final class ManualClock extends Clock {

  private final AtomicReference<Instant> now;

  /** A clock at {@code start}. */
  public ManualClock(final Instant start) {
    this.now = new AtomicReference<>(start);
  }

  /** A clock at 2026-01-01T00:00:00Z. */
  public ManualClock() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /** Moves the clock forward. */
  public void advance(final Duration step) {
    now.updateAndGet(t -> t.plus(step));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(final ZoneId zone) {
    throw new UnsupportedOperationException("a manual clock is in UTC");
  }
}
