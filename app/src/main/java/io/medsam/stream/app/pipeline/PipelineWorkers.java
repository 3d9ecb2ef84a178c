package io.medsam.stream.app.pipeline;

import io.medsam.stream.dicom.orthanc.OrthancServers;
import io.medsam.stream.topology.worker.Worker;
import io.medsam.stream.topology.worker.WorkerState;
import io.medsam.stream.trainer.TrainerConfig;
import io.medsam.stream.trainer.TrainerWorker;
import io.medsam.stream.viewer.ViewerWorker;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers of some roles running in this JVM, each built by {@link RoleWorkers} and started and
 * closed through the one {@link Worker} contract, closed in reverse order: the ingest and encoder
 * loops finish (commit or abort) their transaction in hand, the decoder's Kafka Streams closes
 * under exactly-once, the trainer stops its intake and training thread, and every ONNX Runtime /
 * PyTorch session is closed.
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
   * @param viewer the viewer's address ({@code --http-host}, {@code --http-port})
   * @param orthancs the Orthancs the bridge follows and ingest reads ({@code --orthanc})
   * @param scans where ingest reads files and how large a scan or slice ingest and encoder take
   *     ({@code --scan-root}, {@code --max-slice-pixels}, {@code --max-volume-voxels})
   */
  public record Settings(
      String bootstrapServers,
      Path bundle,
      Path dataDir,
      String instanceId,
      MeterRegistry registry,
      UnaryOperator<TrainerConfig> trainer,
      ViewerAddress viewer,
      OrthancServers orthancs,
      ScanIntake scans) {

    /**
     * With the scan intake of a one-command flow ({@link ScanIntake#inProcess()}): files anywhere
     * this process can read, default limits.
     */
    public Settings(
        final String bootstrapServers,
        final Path bundle,
        final Path dataDir,
        final String instanceId,
        final MeterRegistry registry,
        final UnaryOperator<TrainerConfig> trainer,
        final ViewerAddress viewer,
        final OrthancServers orthancs) {
      this(
          bootstrapServers,
          bundle,
          dataDir,
          instanceId,
          registry,
          trainer,
          viewer,
          orthancs,
          ScanIntake.inProcess());
    }

    /** With the viewer on its default address and no Orthanc. */
    public Settings(
        final String bootstrapServers,
        final Path bundle,
        final Path dataDir,
        final String instanceId,
        final MeterRegistry registry,
        final UnaryOperator<TrainerConfig> trainer) {
      this(
          bootstrapServers,
          bundle,
          dataDir,
          instanceId,
          registry,
          trainer,
          ViewerAddress.DEFAULT,
          OrthancServers.none());
    }

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

  private final Deque<Worker> started = new ArrayDeque<>();
  private final Map<Role, Worker> byRole = new EnumMap<>(Role.class);
  private final Clock clock;

  private PipelineWorkers(final Clock clock) {
    this.clock = clock;
  }

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
    final PipelineWorkers workers = new PipelineWorkers(Clock.systemUTC());
    try {
      for (final Role role : EnumSet.copyOf(roles)) {
        final Worker worker = RoleWorkers.build(role, settings);
        workers.started.push(worker);
        worker.start();
        workers.byRole.put(role, worker);
        LOG.info("{} worker started ({})", role.cliName(), worker.name());
      }
      return workers;
    } catch (WorkerStartException | RuntimeException e) {
      workers.close();
      throw e;
    }
  }

  /**
   * @return the roles running here
   */
  public Set<Role> roles() {
    return byRole.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(byRole.keySet());
  }

  /**
   * @return the state of each role's worker (FAILED when its work died)
   */
  public Map<Role, WorkerState> states() {
    final Map<Role, WorkerState> states = new EnumMap<>(Role.class);
    byRole.forEach((role, worker) -> states.put(role, worker.state()));
    return states;
  }

  /**
   * @return the viewer, when one runs here
   */
  public Optional<ViewerWorker> viewer() {
    return Optional.ofNullable(byRole.get(Role.VIEWER)).map(ViewerWorker.class::cast);
  }

  /**
   * @return the trainer, when one runs here
   */
  public Optional<TrainerWorker> trainer() {
    return Optional.ofNullable(byRole.get(Role.TRAINER)).map(TrainerWorker.class::cast);
  }

  /**
   * Waits until every worker here processes records (the decoder has joined its group, the ingest
   * and encoder loops have initialised their transactions).
   *
   * @param timeout the longest wait for all of them
   * @return true when all are RUNNING; false when the time ran out or one stopped or failed
   * @throws InterruptedException when interrupted
   */
  public boolean awaitReady(final Duration timeout) throws InterruptedException {
    final Instant deadline = clock.instant().plus(timeout);
    for (final Worker worker : byRole.values()) {
      final Duration left = Duration.between(clock.instant(), deadline);
      if (!worker.awaitRunning(left.isNegative() ? Duration.ZERO : left)) {
        LOG.warn("{} is {}, not running", worker.name(), worker.state());
        return false;
      }
    }
    return true;
  }

  /** Stops every worker, last started first; failures are logged and do not stop the rest. */
  @Override
  public void close() {
    while (!started.isEmpty()) {
      final Worker worker = started.pop();
      try {
        worker.close();
      } catch (RuntimeException e) {
        LOG.warn("closing {} failed: {}", worker.name(), e.toString());
      }
    }
  }
}
