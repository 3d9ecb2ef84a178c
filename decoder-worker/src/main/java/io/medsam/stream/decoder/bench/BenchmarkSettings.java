package io.medsam.stream.decoder.bench;

import io.medsam.stream.decoder.DecoderWorkerConfig;
import io.medsam.stream.decoder.session.SessionSettings;
import io.medsam.stream.topology.decode.DecodeTopologyConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the decoder benchmark measures and how.
 *
 * @param bootstrapServers a running broker with the MedSAM topics
 * @param bundleDir the model bundle
 * @param prompts measured prompts (the issue asks for at least 1,000)
 * @param warmup prompts sent first and not measured
 * @param slices distinct slices (embeddings) the prompts are spread over
 * @param height image H of the synthetic slices
 * @param width image W of the synthetic slices
 * @param session ONNX Runtime settings, for the direct decoder and the worker alike
 * @param commitInterval the worker's Kafka Streams commit interval (exactly-once visibility)
 * @param flushInterval the worker's batch flush punctuation
 * @param maxBatchSize the worker's batch size limit
 * @param stateDir the worker's state directory
 * @param runId distinguishes prompt ids, slice keys and the application id of this run
 */
public record BenchmarkSettings(
    String bootstrapServers,
    Path bundleDir,
    int prompts,
    int warmup,
    int slices,
    int height,
    int width,
    SessionSettings session,
    Duration commitInterval,
    Duration flushInterval,
    int maxBatchSize,
    Path stateDir,
    String runId) {

  /** Defaults: 1,000 prompts after 50 warm-up, 8 slices of 217 x 181, 100 ms commit interval. */
  public static BenchmarkSettings defaults(
      final String bootstrapServers, final Path bundleDir, final Path stateDir) {
    return new BenchmarkSettings(
        bootstrapServers,
        bundleDir,
        1000,
        50,
        8,
        217,
        181,
        SessionSettings.defaults(),
        Duration.ofMillis(100),
        DecodeTopologyConfig.DEFAULT_FLUSH_INTERVAL,
        DecodeTopologyConfig.DEFAULT_MAX_BATCH_SIZE,
        stateDir,
        Long.toString(System.currentTimeMillis(), 36));
  }

  /**
   * @return a copy measuring another number of prompts
   */
  public BenchmarkSettings withPrompts(final int n) {
    return new BenchmarkSettings(
        bootstrapServers,
        bundleDir,
        n,
        warmup,
        slices,
        height,
        width,
        session,
        commitInterval,
        flushInterval,
        maxBatchSize,
        stateDir,
        runId);
  }

  /**
   * @return a copy with other ONNX Runtime settings
   */
  public BenchmarkSettings withSession(final SessionSettings s) {
    return new BenchmarkSettings(
        bootstrapServers,
        bundleDir,
        prompts,
        warmup,
        slices,
        height,
        width,
        s,
        commitInterval,
        flushInterval,
        maxBatchSize,
        stateDir,
        runId);
  }

  /**
   * @return a copy with another commit interval
   */
  public BenchmarkSettings withCommitInterval(final Duration d) {
    return new BenchmarkSettings(
        bootstrapServers,
        bundleDir,
        prompts,
        warmup,
        slices,
        height,
        width,
        session,
        d,
        flushInterval,
        maxBatchSize,
        stateDir,
        runId);
  }

  /** The worker's configuration for this run. */
  DecoderWorkerConfig workerConfig() {
    return DecoderWorkerConfig.defaults(bootstrapServers, bundleDir)
        .withIdentity("medsam-decoder-bench-" + runId, stateDir)
        .withSession(session)
        .withBatching(flushInterval, maxBatchSize, commitInterval);
  }
}
