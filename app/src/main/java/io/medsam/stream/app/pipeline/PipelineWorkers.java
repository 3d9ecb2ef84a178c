package io.medsam.stream.app.pipeline;

import io.medsam.stream.decoder.DecoderWorkerConfig;
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
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
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
   * @param decoder turns the decoder's defaults into the configuration it runs with
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
      UnaryOperator<DecoderWorkerConfig> decoder,
      ScanIntake scans) {

    /**
     * With the decoder's defaults and the scan intake of a one-command flow ({@link
     * ScanIntake#inProcess()}: files anywhere this process can read, default limits).
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
          UnaryOperator.identity(),
          ScanIntake.inProcess());
    }

    /** As above, with the viewer on its default address and no Orthanc. */
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

  private final ConcurrentNavigableMap<Role, Worker> byRole = new ConcurrentSkipListMap<>();
  private final Map<Role, Integer> restarts = new ConcurrentHashMap<>();
  private final Map<Role, String> lastFailure = new ConcurrentHashMap<>();
  private final Settings settings;
  private final Clock clock;
  private volatile boolean closing;

  private PipelineWorkers(final Settings settings, final Clock clock) {
    this.settings = settings;
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
    final PipelineWorkers workers = new PipelineWorkers(settings, Clock.systemUTC());
    try {
      for (final Role role : EnumSet.copyOf(roles)) {
        final Worker worker = RoleWorkers.build(role, settings);
        workers.byRole.put(role, worker);
        worker.start();
        LOG.info("{} worker started ({})", role.cliName(), worker.name());
      }
      return workers;
    } catch (WorkerStartException | RuntimeException e) {
      workers.close();
      throw e;
    }
  }

  /**
   * @return a role whose worker has ended (FAILED, or STOPPED without being asked to), unless this
   *     set is closing
   */
  Optional<Role> ended() {
    if (closing) {
      return Optional.empty();
    }
    return byRole.entrySet().stream()
        .filter(e -> e.getValue().state().isTerminal())
        .map(Map.Entry::getKey)
        .findFirst();
  }

  /**
   * @param role a role running here
   * @return how often {@link #restart} replaced its worker, successfully or not
   */
  int restarts(final Role role) {
    return restarts.getOrDefault(role, 0);
  }

  /**
   * Replaces the ended worker of {@code role} by a new one built from the same settings: the old
   * one is closed first (its clients, sessions and state directory released), then the new one
   * started. If the new one cannot be built, the old one stays, ended, and counts as failed again.
   *
   * @param role a role running here
   * @throws WorkerStartException when the new worker cannot be built or started
   */
  synchronized void restart(final Role role) throws WorkerStartException {
    if (closing) {
      return;
    }
    restarts.merge(role, 1, Integer::sum);
    final Worker old = byRole.get(role);
    old.failure().ifPresent(f -> lastFailure.put(role, f.getClass().getSimpleName()));
    closeQuietly(old);
    final Worker fresh = RoleWorkers.build(role, settings);
    byRole.put(role, fresh);
    try {
      fresh.start();
    } catch (RuntimeException e) {
      lastFailure.put(role, e.getClass().getSimpleName());
      throw new WorkerStartException(role.cliName() + ": " + e.getMessage(), e);
    }
    LOG.warn("{} worker restarted ({}, restart {})", role.cliName(), fresh.name(), restarts(role));
  }

  /**
   * @return each role's state, restarts and last failure, by role name (what {@code /ready} shows)
   */
  public Map<String, WorkerReadiness> readiness() {
    final Map<String, WorkerReadiness> out = new LinkedHashMap<>();
    byRole.forEach(
        (role, worker) ->
            out.put(
                role.cliName(),
                new WorkerReadiness(
                    worker.state(),
                    restarts(role),
                    worker
                        .failure()
                        .map(f -> f.getClass().getSimpleName())
                        .or(() -> Optional.ofNullable(lastFailure.get(role))))));
    return out;
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
  public synchronized void close() {
    closing = true;
    byRole.descendingMap().values().forEach(PipelineWorkers::closeQuietly);
  }

  private static void closeQuietly(final Worker worker) {
    try {
      worker.close();
    } catch (RuntimeException e) {
      LOG.warn("closing {} failed: {}", worker.name(), e.toString());
    }
  }
}
