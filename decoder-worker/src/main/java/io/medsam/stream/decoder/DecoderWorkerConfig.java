package io.medsam.stream.decoder;

import io.medsam.stream.decoder.session.SessionSettings;
import io.medsam.stream.topology.decode.DecodeTopologyConfig;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Settings of a decoder worker.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param bundleDir the model bundle folder
 * @param applicationId Kafka Streams application id (consumer group, transactional id prefix)
 * @param stateDir Kafka Streams state directory
 * @param session ONNX Runtime settings of every decoder session
 * @param promptTimeout how long a prompt may wait for its embedding
 * @param flushInterval wall-clock punctuation that flushes ready prompts to the decoder
 * @param maxBatchSize flush at once when this many prompts are ready
 * @param commitInterval Kafka Streams commit interval: under exactly-once, results become visible
 *     to read_committed consumers when their transaction commits
 * @param streamThreads Kafka Streams threads (each decodes its own batches)
 * @param streamsOverrides further Kafka Streams properties, applied last
 * @param weightsPublicKey the Ed25519 key every served DecoderWeights record must be signed with
 *     ({@code --weights-public-key}); null: weights are not verified (a warning is logged once)
 */
public record DecoderWorkerConfig(
    String bootstrapServers,
    Path bundleDir,
    String applicationId,
    Path stateDir,
    SessionSettings session,
    Duration promptTimeout,
    Duration flushInterval,
    int maxBatchSize,
    Duration commitInterval,
    int streamThreads,
    Map<String, Object> streamsOverrides,
    PublicKey weightsPublicKey) {

  /** Default Kafka Streams application id. */
  public static final String DEFAULT_APPLICATION_ID = "medsam-decoder";

  /** Validates and copies. */
  public DecoderWorkerConfig {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(bundleDir, "bundleDir");
    Objects.requireNonNull(applicationId, "applicationId");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(session, "session");
    streamsOverrides = Map.copyOf(streamsOverrides);
  }

  /**
   * Defaults for a bundle: 60 s prompt timeout; a lone prompt decoded at once, a burst flushed
   * every 20 ms or at 16 ready prompts; commits every 100 ms during bursts (the topology asks for
   * an immediate commit after a lone prompt, so light load does not wait for it); one stream
   * thread; state under java.io.tmpdir.
   */
  public static DecoderWorkerConfig defaults(final String bootstrapServers, final Path bundleDir) {
    return new DecoderWorkerConfig(
        bootstrapServers,
        bundleDir,
        DEFAULT_APPLICATION_ID,
        Path.of(System.getProperty("java.io.tmpdir"), "medsam-decoder-state"),
        SessionSettings.defaults(),
        Duration.ofSeconds(60),
        DecodeTopologyConfig.DEFAULT_FLUSH_INTERVAL,
        DecodeTopologyConfig.DEFAULT_MAX_BATCH_SIZE,
        Duration.ofMillis(100),
        1,
        Map.of(),
        null);
  }

  /**
   * @return a copy with another application id and state directory
   */
  public DecoderWorkerConfig withIdentity(final String appId, final Path dir) {
    return new DecoderWorkerConfig(
        bootstrapServers,
        bundleDir,
        appId,
        dir,
        session,
        promptTimeout,
        flushInterval,
        maxBatchSize,
        commitInterval,
        streamThreads,
        streamsOverrides,
        weightsPublicKey);
  }

  /**
   * @return a copy with other session settings
   */
  public DecoderWorkerConfig withSession(final SessionSettings settings) {
    return new DecoderWorkerConfig(
        bootstrapServers,
        bundleDir,
        applicationId,
        stateDir,
        settings,
        promptTimeout,
        flushInterval,
        maxBatchSize,
        commitInterval,
        streamThreads,
        streamsOverrides,
        weightsPublicKey);
  }

  /**
   * @return a copy with other batching and commit settings
   */
  public DecoderWorkerConfig withBatching(
      final Duration flush, final int batch, final Duration commit) {
    return new DecoderWorkerConfig(
        bootstrapServers,
        bundleDir,
        applicationId,
        stateDir,
        session,
        promptTimeout,
        flush,
        batch,
        commit,
        streamThreads,
        streamsOverrides,
        weightsPublicKey);
  }

  /**
   * @return a copy with another prompt timeout
   */
  public DecoderWorkerConfig withPromptTimeout(final Duration timeout) {
    return new DecoderWorkerConfig(
        bootstrapServers,
        bundleDir,
        applicationId,
        stateDir,
        session,
        timeout,
        flushInterval,
        maxBatchSize,
        commitInterval,
        streamThreads,
        streamsOverrides,
        weightsPublicKey);
  }

  /**
   * @return a copy with these Kafka Streams properties added to the overrides
   */
  public DecoderWorkerConfig withStreamsOverrides(final Map<String, Object> more) {
    final Map<String, Object> all = new HashMap<>(streamsOverrides);
    all.putAll(more);
    return new DecoderWorkerConfig(
        bootstrapServers,
        bundleDir,
        applicationId,
        stateDir,
        session,
        promptTimeout,
        flushInterval,
        maxBatchSize,
        commitInterval,
        streamThreads,
        all,
        weightsPublicKey);
  }

  /**
   * @return a copy whose weights follower serves only DecoderWeights signed with {@code key}
   */
  public DecoderWorkerConfig withWeightsPublicKey(final PublicKey key) {
    return new DecoderWorkerConfig(
        bootstrapServers,
        bundleDir,
        applicationId,
        stateDir,
        session,
        promptTimeout,
        flushInterval,
        maxBatchSize,
        commitInterval,
        streamThreads,
        streamsOverrides,
        key);
  }

  /**
   * @return a copy whose Kafka Streams internal topics (changelogs, repartitions) get {@code
   *     factor} replicas: Streams' own {@code replication.factor}, which otherwise is the broker's
   *     default
   */
  public DecoderWorkerConfig withReplicationFactor(final int factor) {
    if (factor < 1) {
      throw new IllegalArgumentException("replication factor must be >= 1, was " + factor);
    }
    return withStreamsOverrides(Map.of(StreamsConfig.REPLICATION_FACTOR_CONFIG, factor));
  }
}
