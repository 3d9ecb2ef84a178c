package io.medsam.stream.topology.decode;

import java.time.Duration;

/**
 * Tells a lone prompt from one of a burst or backlog. A prompt is lone when its timestamp is at
 * least {@code burstGap} after the previous prompt's (nothing else is coming to batch it with) and
 * it is processed less than {@code backlogAge} after it was sent (the worker is not behind). A lone
 * prompt is decoded at once; the others wait for company.
 */
final class BurstDetector {

  private final long burstGapMs;
  private final long backlogAgeMs;
  private boolean anyPrompt;
  private long lastTimestamp;

  BurstDetector(final Duration burstGap, final Duration backlogAge) {
    this.burstGapMs = burstGap.toMillis();
    this.backlogAgeMs = backlogAge.toMillis();
  }

  /**
   * Classifies the next prompt and remembers its timestamp.
   *
   * @param timestampMs the prompt record's timestamp (when it was sent)
   * @param nowMs wall-clock time it is processed
   * @return whether it is lone
   */
  boolean next(final long timestampMs, final long nowMs) {
    final long gap = anyPrompt ? timestampMs - lastTimestamp : Long.MAX_VALUE;
    final long age = nowMs - timestampMs; // negative when the sender's clock is ahead
    anyPrompt = true;
    lastTimestamp = timestampMs;
    return gap >= burstGapMs && age < backlogAgeMs;
  }
}
