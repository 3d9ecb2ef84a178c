package io.medsam.stream.app.pipeline;

import io.medsam.stream.bundle.BundleFormatException;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.decoder.DecoderWorker;
import io.medsam.stream.decoder.DecoderWorkerConfig;
import io.medsam.stream.decoder.session.DecoderSessionException;
import io.medsam.stream.encoder.BundleException;
import io.medsam.stream.encoder.EncoderSessionOptions;
import io.medsam.stream.encoder.EncoderWorker;
import io.medsam.stream.encoder.EncoderWorkerConfig;
import io.medsam.stream.encoder.ImageEncoderSession;
import io.medsam.stream.ingest.IngestWorker;
import io.medsam.stream.trainer.TrainerConfig;
import io.medsam.stream.trainer.TrainerWorker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers of some roles running in this JVM, started together and closed in reverse order: the
 * ingest and encoder loops finish (commit or abort) their transaction in hand, the decoder's Kafka
 * Streams closes under exactly-once, the trainer stops its intake and training thread, and every
 * ONNX Runtime / PyTorch session is closed.
 */
public final class PipelineWorkers implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PipelineWorkers.class);

  /**
   * What every worker is started with.
   *
   * @param bootstrapServers Kafka bootstrap servers
   * @param bundle the model bundle folder
   * @param dataDir local state root (the decoder's Kafka Streams state goes to {@code
   *     DIR/decoder-state})
   * @param instanceId stable name of this instance, part of every transactional id, so a restarted
   *     instance fences its predecessor
   * @param registry where the workers' meters go
   * @param trainer turns the trainer's defaults into the configuration it runs with
   */
  public record Settings(
      String bootstrapServers,
      Path bundle,
      Path dataDir,
      String instanceId,
      MeterRegistry registry,
      UnaryOperator<TrainerConfig> trainer) {

    /** With the trainer's defaults. */
    public Settings(
        final String bootstrapServers,
        final Path bundle,
        final Path dataDir,
        final String instanceId,
        final MeterRegistry registry) {
      this(bootstrapServers, bundle, dataDir, instanceId, registry, UnaryOperator.identity());
    }
  }

  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final Set<Role> roles = EnumSet.noneOf(Role.class);

  private PipelineWorkers() {}

  /**
   * Starts the workers of {@code roles}; on failure, whatever was started is closed again.
   *
   * @param roles the roles to run here
   * @param settings shared settings
   * @return the running workers
   * @throws WorkerStartException when a bundle cannot be loaded or a worker cannot start
   */
  public static PipelineWorkers start(final Set<Role> roles, final Settings settings)
      throws WorkerStartException {
    final PipelineWorkers workers = new PipelineWorkers();
    try {
      for (final Role role : EnumSet.copyOf(roles)) {
        workers.startRole(role, settings);
        workers.roles.add(role);
      }
      return workers;
    } catch (WorkerStartException | RuntimeException e) {
      workers.close();
      throw e;
    }
  }

  private void startRole(final Role role, final Settings s) throws WorkerStartException {
    final String txId = role.group() + "-" + s.instanceId();
    switch (role) {
      case INGEST -> {
        final IngestWorker ingest =
            new IngestWorker(s.bootstrapServers(), txId, Map.of(), s.registry());
        started.push(ingest);
        thread(ingest, txId);
      }
      case ENCODER -> {
        final ImageEncoderSession session;
        try {
          session =
              ImageEncoderSession.open(
                  ModelBundle.read(s.bundle()), EncoderSessionOptions.defaults());
        } catch (BundleFormatException | BundleException e) {
          throw new WorkerStartException("encoder: " + e.getMessage(), e);
        }
        started.push(session);
        final EncoderWorker encoder =
            new EncoderWorker(
                EncoderWorkerConfig.of(s.bootstrapServers(), txId), session, s.registry());
        started.push(encoder);
        thread(encoder, txId);
      }
      case DECODER -> {
        try {
          final DecoderWorker decoder =
              new DecoderWorker(
                  DecoderWorkerConfig.defaults(s.bootstrapServers(), s.bundle())
                      .withIdentity(role.group(), s.dataDir().resolve("decoder-state")),
                  version -> LOG.info("decoder weights {} live", version));
          decoder.bindMetrics(s.registry());
          started.push(decoder);
          decoder.start();
        } catch (BundleFormatException | DecoderSessionException e) {
          throw new WorkerStartException("decoder: " + e.getMessage(), e);
        }
      }
      case TRAINER -> {
        try {
          final TrainerWorker trainer =
              TrainerWorker.start(
                  s.trainer().apply(TrainerConfig.defaults(s.bootstrapServers(), s.bundle())));
          started.push(trainer);
          Gauge.builder("medsam.trainer.pairs", trainer.pairs(), p -> p.size())
              .description("labelled correction pairs taken in")
              .register(s.registry());
        } catch (IOException e) {
          throw new WorkerStartException("trainer: " + e.getMessage(), e);
        }
      }
      default -> throw new IllegalStateException(role.toString());
    }
    LOG.info("{} worker started ({})", role.cliName(), txId);
  }

  private static void thread(final Runnable worker, final String name) {
    final Thread t = new Thread(worker, name);
    t.setDaemon(true);
    t.start();
  }

  /**
   * @return the roles running here
   */
  public Set<Role> roles() {
    return EnumSet.copyOf(roles.isEmpty() ? EnumSet.noneOf(Role.class) : roles);
  }

  /**
   * @return the trainer, when one runs here
   */
  public Optional<TrainerWorker> trainer() {
    return started.stream()
        .filter(TrainerWorker.class::isInstance)
        .map(TrainerWorker.class::cast)
        .findFirst();
  }

  /**
   * Waits until the decoder (when it runs here) has joined its group and processes records.
   *
   * @param timeout the longest wait
   * @return true when ready (or no decoder runs here)
   * @throws InterruptedException when interrupted
   */
  public boolean awaitReady(final Duration timeout) throws InterruptedException {
    for (final AutoCloseable c : started) {
      if (c instanceof DecoderWorker d) {
        return d.awaitRunning(timeout);
      }
    }
    return true;
  }

  /** Stops every worker, last started first; failures are logged and do not stop the rest. */
  @Override
  public void close() {
    while (!started.isEmpty()) {
      final AutoCloseable c = started.pop();
      try {
        c.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        LOG.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
