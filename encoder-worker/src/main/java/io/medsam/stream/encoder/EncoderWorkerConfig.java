package io.medsam.stream.encoder;

import io.medsam.stream.topology.Topics;
import java.time.Duration;
import java.util.Map;

/**
 * Settings of one encoder-worker instance.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param groupId consumer group shared by all encoder workers
 * @param transactionalId stable per instance (e.g. host name + ordinal): a restarted instance with
 *     the same id fences its predecessor and aborts its open transaction
 * @param maxBatchSize B: encode at most this many slices per encoder run
 * @param maxBatchWait T: encode a partial batch once its first slice has waited this long
 * @param clientOverrides extra producer/consumer properties (tests shorten timeouts with these)
 * @param sliceTopic where ImageSlices are read (medsam.slices.v1; the benchmark uses its own)
 * @param embeddingTopic where SliceEmbeddings go (medsam.embeddings.v1)
 * @param commitInterval batches encoded within this time of a transaction's start share it (as
 *     Kafka Streams' commit.interval.ms); zero commits every batch on its own. A transaction is
 *     also committed as soon as no further slice is waiting.
 * @param maxSlicePixels a slice of more than this many pixels (height × width) is a dead letter,
 *     refused before its pixels are copied or resized
 */
public record EncoderWorkerConfig(
    String bootstrapServers,
    String groupId,
    String transactionalId,
    int maxBatchSize,
    Duration maxBatchWait,
    Map<String, Object> clientOverrides,
    String sliceTopic,
    String embeddingTopic,
    Duration commitInterval,
    long maxSlicePixels) {

  /** Default consumer group of the encoder workers. */
  public static final String DEFAULT_GROUP = "medsam-encoder";

  /** Validates and copies. */
  public EncoderWorkerConfig {
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("maxBatchSize must be >= 1: " + maxBatchSize);
    }
    if (maxBatchWait.isNegative()) {
      throw new IllegalArgumentException("maxBatchWait must not be negative: " + maxBatchWait);
    }
    clientOverrides = Map.copyOf(clientOverrides);
    if (commitInterval.isNegative()) {
      throw new IllegalArgumentException("commitInterval must not be negative: " + commitInterval);
    }
    if (maxSlicePixels < 1) {
      throw new IllegalArgumentException("maxSlicePixels must be >= 1: " + maxSlicePixels);
    }
    if (sliceTopic == null || embeddingTopic == null) {
      throw new IllegalArgumentException("slice and embedding topics are required");
    }
  }

  /**
   * Default slice limit, 4096 × 4096 pixels, as ingest's: CT and MR slices are 512×512 to
   * 1024×1024; a larger image is more likely a mistake than a scan, and its model input is resized
   * to the bundle's size anyway.
   */
  public static final long DEFAULT_MAX_SLICE_PIXELS = 4096L * 4096L;

  /** Default commit interval, as Kafka Streams' exactly-once default. */
  public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(100);

  /** Defaults: group {@value #DEFAULT_GROUP}, B = 8, T = 50 ms, commit interval 100 ms. */
  public static EncoderWorkerConfig of(
      final String bootstrapServers, final String transactionalId) {
    return new EncoderWorkerConfig(
        bootstrapServers,
        DEFAULT_GROUP,
        transactionalId,
        8,
        Duration.ofMillis(50),
        Map.of(),
        Topics.SLICES,
        Topics.EMBEDDINGS,
        DEFAULT_COMMIT_INTERVAL,
        DEFAULT_MAX_SLICE_PIXELS);
  }

  /** A copy with another batch size and wait. */
  public EncoderWorkerConfig withBatching(final int batchSize, final Duration wait) {
    return new EncoderWorkerConfig(
        bootstrapServers,
        groupId,
        transactionalId,
        batchSize,
        wait,
        clientOverrides,
        sliceTopic,
        embeddingTopic,
        commitInterval,
        maxSlicePixels);
  }

  /** A copy with extra client properties. */
  public EncoderWorkerConfig withClientOverrides(final Map<String, Object> overrides) {
    return new EncoderWorkerConfig(
        bootstrapServers,
        groupId,
        transactionalId,
        maxBatchSize,
        maxBatchWait,
        overrides,
        sliceTopic,
        embeddingTopic,
        commitInterval,
        maxSlicePixels);
  }

  /** A copy with another consumer group and input/output topics. */
  public EncoderWorkerConfig withTopics(
      final String group, final String slices, final String embeddings) {
    return new EncoderWorkerConfig(
        bootstrapServers,
        group,
        transactionalId,
        maxBatchSize,
        maxBatchWait,
        clientOverrides,
        slices,
        embeddings,
        commitInterval,
        maxSlicePixels);
  }

  /** A copy with another commit interval (zero: one transaction per batch). */
  public EncoderWorkerConfig withCommitInterval(final Duration interval) {
    return new EncoderWorkerConfig(
        bootstrapServers,
        groupId,
        transactionalId,
        maxBatchSize,
        maxBatchWait,
        clientOverrides,
        sliceTopic,
        embeddingTopic,
        interval,
        maxSlicePixels);
  }

  /** A copy with another transactional id (one per worker instance). */
  public EncoderWorkerConfig withTransactionalId(final String id) {
    return new EncoderWorkerConfig(
        bootstrapServers,
        groupId,
        id,
        maxBatchSize,
        maxBatchWait,
        clientOverrides,
        sliceTopic,
        embeddingTopic,
        commitInterval,
        maxSlicePixels);
  }

  /** A copy with another slice limit (pixels, height × width). */
  public EncoderWorkerConfig withMaxSlicePixels(final long pixels) {
    return new EncoderWorkerConfig(
        bootstrapServers,
        groupId,
        transactionalId,
        maxBatchSize,
        maxBatchWait,
        clientOverrides,
        sliceTopic,
        embeddingTopic,
        commitInterval,
        pixels);
  }
}
