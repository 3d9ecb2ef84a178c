package io.medsam.stream.decoder;

import io.medsam.stream.bundle.BundleFormatException;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.decoder.session.DecoderSessionException;
import io.medsam.stream.decoder.session.DecoderSessions;
import io.medsam.stream.decoder.session.MaskDecoderSession;
import io.medsam.stream.records.weights.WeightsKeys;
import io.medsam.stream.records.weights.WeightsVerifier;
import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.topology.DeadLetterProducer;
import io.medsam.stream.topology.decode.DecodeTopology;
import io.medsam.stream.topology.decode.DecodeTopologyConfig;
import io.medsam.stream.topology.walk.VolumeWalkConfig;
import io.medsam.stream.topology.walk.VolumeWalkTopology;
import io.medsam.stream.topology.worker.StateTracker;
import io.medsam.stream.topology.worker.Worker;
import io.medsam.stream.topology.worker.WorkerStatus;
import io.micrometer.core.instrument.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lifecycle of a decoder worker: opens the bundle's decoder session, runs the decode topology and
 * the 3D walk topology in Kafka Streams (exactly_once_v2) with the ONNX Runtime decoder, and
 * follows the decoder-weights topic on its own thread to hot-swap sessions. It is RUNNING once the
 * stream first is, and FAILED when the stream goes to ERROR or the weights follower dies. {@link
 * #main} adds a shutdown hook and waits.
 */
public final class DecoderWorker implements Worker {

  private static final Logger LOG = LoggerFactory.getLogger(DecoderWorker.class);

  private final DecoderWorkerConfig config;
  private final ModelBundle bundle;
  private final DecoderSessions sessions;
  private final KafkaStreams streams;
  private final KafkaProducer<byte[], byte[]> deadLetterProducer;
  private final DecoderWeightsListener weights;
  private final Thread weightsThread;
  private final StateTracker tracker = new StateTracker(Clock.systemUTC());
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicReference<Throwable> lastStreamError = new AtomicReference<>();

  /**
   * Builds (but does not start) a worker.
   *
   * @param config worker settings
   * @param onSwap called with each weights version after it went live
   * @throws BundleFormatException when the bundle cannot be read
   * @throws DecoderSessionException when the bundle's decoder cannot be opened
   */
  public DecoderWorker(final DecoderWorkerConfig config, final Consumer<String> onSwap)
      throws BundleFormatException, DecoderSessionException {
    this.config = config;
    this.bundle = ModelBundle.read(config.bundleDir());
    this.sessions =
        new DecoderSessions(MaskDecoderSession.open(bundle, config.session(), Optional.empty()));
    final StreamsBuilder builder = new StreamsBuilder();
    DecodeTopology.build(
        builder,
        new DecodeTopologyConfig(
            new OnnxMaskDecoder(bundle, sessions),
            config.promptTimeout(),
            Duration.ofMillis(Math.max(1, Math.min(1000, config.promptTimeout().toMillis() / 4))),
            config.flushInterval(),
            config.maxBatchSize(),
            DecodeTopologyConfig.DEFAULT_BURST_GAP,
            DecodeTopologyConfig.DEFAULT_BACKLOG_AGE));
    VolumeWalkTopology.build(builder, VolumeWalkConfig.defaults());
    this.streams = new KafkaStreams(builder.build(), streamsProperties(config));
    streams.setStateListener(this::onStreamState);
    streams.setUncaughtExceptionHandler(
        e -> {
          lastStreamError.set(e);
          LOG.error("decoder stream thread failed; replacing it", e);
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    this.deadLetterProducer =
        new KafkaProducer<>(
            ClientConfigs.producer(config.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer());
    final Map<String, Object> consumerConfig =
        new HashMap<>(
            ClientConfigs.consumer(config.bootstrapServers(), config.applicationId() + "-weights"));
    consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG); // assigned partitions, no group
    this.weights =
        new DecoderWeightsListener(
            new KafkaConsumer<>(consumerConfig),
            new DeadLetterProducer(
                DecoderWeightsListener.COMPONENT, deadLetterProducer, Metrics.globalRegistry),
            bundle,
            config.session(),
            sessions,
            onSwap,
            Optional.ofNullable(config.weightsPublicKey()).map(WeightsVerifier::new));
    if (config.weightsPublicKey() != null) {
      LOG.info(
          "decoder worker {} serves only weights signed by key {}",
          config.applicationId(),
          WeightsKeys.keyId(config.weightsPublicKey()));
    }
    this.weightsThread =
        new Thread(this::followWeights, "decoder-weights-" + config.applicationId());
    weightsThread.setDaemon(true);
  }

  private void onStreamState(final KafkaStreams.State now, final KafkaStreams.State before) {
    LOG.info("decoder stream {} -> {}", before, now);
    if (now == KafkaStreams.State.RUNNING) {
      tracker.running();
    } else if (now == KafkaStreams.State.ERROR) {
      final Throwable cause = lastStreamError.get();
      tracker.fail(
          cause != null ? cause : new IllegalStateException("the decoder stream went to ERROR"));
    }
  }

  private void followWeights() {
    try {
      weights.run();
    } catch (RuntimeException | Error e) {
      LOG.error("decoder worker {}: the weights follower stopped", config.applicationId(), e);
      tracker.fail(e);
    }
  }

  /**
   * The Kafka Streams properties: ClientConfigs.streams plus latency settings and overrides (the
   * replication factor of its internal topics among them: {@link
   * DecoderWorkerConfig#withReplicationFactor}).
   */
  public static Properties streamsProperties(final DecoderWorkerConfig config) {
    final Properties p = new Properties();
    p.putAll(ClientConfigs.streams(config.bootstrapServers(), config.applicationId()));
    p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis());
    // a short poll lets the wall-clock flush punctuation run soon after records arrive
    p.put(StreamsConfig.POLL_MS_CONFIG, Math.max(1L, config.flushInterval().toMillis()));
    p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 0);
    p.putAll(config.streamsOverrides());
    return p;
  }

  /** The Kafka Streams application id. */
  @Override
  public WorkerStatus status() {
    return tracker;
  }

  @Override
  public String name() {
    return config.applicationId();
  }

  /** Starts the weights follower and the stream. */
  @Override
  public void start() {
    if (!tracker.starting()) {
      throw new IllegalStateException(name() + " was started or closed before; it runs once");
    }
    LOG.info(
        "decoder worker {} starting: bundle {} {} ({}), commit every {} ms, flush every {} ms or at {} prompts",
        config.applicationId(),
        bundle.id(),
        bundle.version(),
        bundle.directory(),
        config.commitInterval().toMillis(),
        config.flushInterval().toMillis(),
        config.maxBatchSize());
    weightsThread.start();
    try {
      streams.start();
    } catch (RuntimeException e) {
      tracker.fail(e);
      throw e;
    }
  }

  /**
   * @return the weights version new batches are decoded with
   */
  public String currentWeightsVersion() {
    return sessions.currentVersion();
  }

  /**
   * Binds the Kafka Streams client metrics (records processed, commit latency, consumer lag, ...)
   * of this worker to {@code registry} (the app serves them to Prometheus).
   *
   * @param registry where the meters go
   */
  public void bindMetrics(final io.micrometer.core.instrument.MeterRegistry registry) {
    new io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics(streams).bindTo(registry);
  }

  /**
   * @return the bundle this worker decodes with
   */
  public ModelBundle bundle() {
    return bundle;
  }

  /**
   * Closes the stream (its open transaction is committed or aborted), the weights follower, the
   * dead-letter producer and the sessions; a second call waits for the first.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      try {
        tracker.awaitStopped(Duration.ofMinutes(1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return;
    }
    tracker.stopping();
    LOG.info("decoder worker {} stopping", config.applicationId());
    streams.close(Duration.ofSeconds(30));
    weights.stop();
    try {
      weightsThread.join(10_000);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deadLetterProducer.close(Duration.ofSeconds(5));
    sessions.close();
    tracker.stopped();
  }

  /**
   * Runs a worker until the JVM is asked to stop. Arguments: {@code --bootstrap HOST:PORT --bundle
   * DIR [--application-id ID] [--state-dir DIR] [--threads N] [--opt-level all]
   * [--weights-public-key FILE]}.
   *
   * @param args command-line arguments
   * @throws Exception when the worker cannot start
   */
  public static void main(final String[] args) throws Exception {
    final DecoderWorker worker = new DecoderWorker(WorkerArguments.parse(args), v -> {});
    final CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  worker.close();
                  stopped.countDown();
                },
                "decoder-worker-shutdown"));
    worker.start();
    stopped.await();
  }
}
