package io.medsam.stream.topology.decode;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the decode topology.
 *
 * @param decoder the mask decoder the topology hands ready prompts to
 * @param promptTimeout how long a prompt may wait for its embedding before it is answered with
 *     status TIMEOUT (wall-clock time since the worker received it)
 * @param timeoutCheckInterval how often waiting prompts are checked for timeout (wall clock)
 * @param flushInterval how often ready prompts of a burst are flushed to the decoder (wall clock)
 * @param maxBatchSize ready prompts are flushed at once when this many are waiting
 * @param burstGap a prompt whose timestamp is at least this far after the previous prompt's is not
 *     part of a burst: it is decoded at once instead of waiting for company
 * @param backlogAge a prompt older than this (wall clock minus its timestamp) when processed is
 *     part of a backlog: it is batched with the prompts queued behind it even if it was sent alone
 * @param maxWaitingPrompts prompts that may wait for their embedding at once in one task (one
 *     partition of prompts and embeddings); a prompt beyond it is answered ERROR at once, with the
 *     reason, and dead-lettered, so the waiting store cannot grow without bound
 */
public record DecodeTopologyConfig(
    MaskDecoder decoder,
    Duration promptTimeout,
    Duration timeoutCheckInterval,
    Duration flushInterval,
    int maxBatchSize,
    Duration burstGap,
    Duration backlogAge,
    int maxWaitingPrompts) {

  /** Default prompt timeout: 60 s. */
  public static final Duration DEFAULT_PROMPT_TIMEOUT = Duration.ofSeconds(60);

  /**
   * Default flush interval: 20 ms. Kafka Streams halves the records it processes per loop whenever
   * a punctuator fires, so a much shorter interval would shrink batches under load.
   */
  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(20);

  /** Default burst gap: 2 ms. */
  public static final Duration DEFAULT_BURST_GAP = Duration.ofMillis(2);

  /** Default backlog age: 100 ms. */
  public static final Duration DEFAULT_BACKLOG_AGE = Duration.ofMillis(100);

  /** Default maximum batch size. */
  public static final int DEFAULT_MAX_BATCH_SIZE = 16;

  /**
   * Default cap of waiting prompts per task: 10,000 (a BoxPrompt is a few hundred bytes, so a few
   * MiB of memory and changelog per partition).
   */
  public static final int DEFAULT_MAX_WAITING_PROMPTS = 10_000;

  /** Validates the settings. */
  public DecodeTopologyConfig {
    Objects.requireNonNull(decoder, "decoder");
    requirePositive(promptTimeout, "promptTimeout");
    requirePositive(timeoutCheckInterval, "timeoutCheckInterval");
    requirePositive(flushInterval, "flushInterval");
    Objects.requireNonNull(burstGap, "burstGap");
    if (burstGap.isNegative()) {
      throw new IllegalArgumentException("burstGap must not be negative, was " + burstGap);
    }
    requirePositive(backlogAge, "backlogAge");
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("maxBatchSize must be >= 1, was " + maxBatchSize);
    }
    if (maxWaitingPrompts < 1) {
      throw new IllegalArgumentException(
          "maxWaitingPrompts must be >= 1, was " + maxWaitingPrompts);
    }
  }

  /** With the default cap of waiting prompts ({@value #DEFAULT_MAX_WAITING_PROMPTS}). */
  public DecodeTopologyConfig(
      final MaskDecoder decoder,
      final Duration promptTimeout,
      final Duration timeoutCheckInterval,
      final Duration flushInterval,
      final int maxBatchSize,
      final Duration burstGap,
      final Duration backlogAge) {
    this(
        decoder,
        promptTimeout,
        timeoutCheckInterval,
        flushInterval,
        maxBatchSize,
        burstGap,
        backlogAge,
        DEFAULT_MAX_WAITING_PROMPTS);
  }

  /**
   * Default settings for a decoder: 60 s timeout checked every second; a lone prompt is decoded at
   * once, prompts of a burst (less than 2 ms apart) or of a backlog (processed more than 100 ms
   * after they were sent) every 20 ms or at 16 ready prompts.
   *
   * @param decoder the mask decoder
   * @return the settings
   */
  public static DecodeTopologyConfig defaults(final MaskDecoder decoder) {
    return new DecodeTopologyConfig(
        decoder,
        DEFAULT_PROMPT_TIMEOUT,
        Duration.ofSeconds(1),
        DEFAULT_FLUSH_INTERVAL,
        DEFAULT_MAX_BATCH_SIZE,
        DEFAULT_BURST_GAP,
        DEFAULT_BACKLOG_AGE);
  }

  /**
   * @param timeout the new prompt timeout
   * @param checkInterval how often to check for it
   * @return a copy with another timeout
   */
  public DecodeTopologyConfig withPromptTimeout(
      final Duration timeout, final Duration checkInterval) {
    return new DecodeTopologyConfig(
        decoder,
        timeout,
        checkInterval,
        flushInterval,
        maxBatchSize,
        burstGap,
        backlogAge,
        maxWaitingPrompts);
  }

  /**
   * @param interval the new flush interval
   * @param batchSize the new maximum batch size
   * @param gap the new burst gap
   * @return a copy with other batching settings
   */
  public DecodeTopologyConfig withBatching(
      final Duration interval, final int batchSize, final Duration gap) {
    return new DecodeTopologyConfig(
        decoder,
        promptTimeout,
        timeoutCheckInterval,
        interval,
        batchSize,
        gap,
        backlogAge,
        maxWaitingPrompts);
  }

  /**
   * @param max prompts that may wait for their embedding at once in one task
   * @return a copy with another cap
   */
  public DecodeTopologyConfig withMaxWaitingPrompts(final int max) {
    return new DecodeTopologyConfig(
        decoder,
        promptTimeout,
        timeoutCheckInterval,
        flushInterval,
        maxBatchSize,
        burstGap,
        backlogAge,
        max);
  }

  private static void requirePositive(final Duration d, final String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
  }
}
