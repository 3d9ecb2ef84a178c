package io.medsam.stream.app.client;

import io.medsam.stream.app.broker.KafkaEndpoint;
import io.medsam.stream.app.pipeline.BundleLocation;
import io.medsam.stream.app.pipeline.PipelineWorkers;
import io.medsam.stream.app.pipeline.Role;
import io.medsam.stream.app.pipeline.WorkerStartException;
import io.medsam.stream.bundle.BundleFormatException;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.client.PipelineClient;
import io.medsam.stream.trainer.TrainerConfig;
import io.medsam.stream.trainer.TrainerWorker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A command's session with the pipeline: a {@link PipelineClient}, and the workers it needs that
 * have no running member in the cluster, started in this JVM for as long as the session lasts; on
 * close their members are removed from their groups.
 */
public final class PipelineSession implements AutoCloseable {

  /** The roles a prompt needs; the trainer is not one of them. */
  public static final Set<Role> SERVING = EnumSet.of(Role.INGEST, Role.ENCODER, Role.DECODER);

  private final PipelineClient client;
  private final PipelineWorkers workers;
  private final Path bundle;

  private PipelineSession(
      final PipelineClient client, final PipelineWorkers workers, final Path bundle) {
    this.client = client;
    this.workers = workers;
    this.bundle = bundle;
  }

  /**
   * Connects to the pipeline on {@code kafka}, starting the serving workers it lacks.
   *
   * @param kafka the cluster; on an embedded broker this command started, every serving worker is
   *     started here (members listed in its groups are left over from earlier runs)
   * @param bundle model bundle for workers started here
   * @param dataDir local state root for workers started here
   * @param notices receives one line per worker started here
   * @return the session
   * @throws WorkerStartException when a worker cannot start
   * @throws InterruptedException when interrupted while waiting for the decoder
   */
  public static PipelineSession open(
      final KafkaEndpoint kafka,
      final Path bundle,
      final Path dataDir,
      final Consumer<String> notices)
      throws WorkerStartException, InterruptedException {
    return open(kafka, bundle, dataDir, SERVING, UnaryOperator.identity(), notices);
  }

  /**
   * As {@link #open(KafkaEndpoint, Path, Path, Consumer)}, for other roles.
   *
   * @param kafka the cluster
   * @param bundle model bundle for workers started here
   * @param dataDir local state root for workers started here
   * @param roles the roles the session needs; those without a running member (all of them on an
   *     embedded broker this command started) are started here. The trainer assigns itself its
   *     partitions and never shows as a group member, so on an external cluster it is always
   *     started here when asked for
   * @param trainer the trainer's configuration from its defaults, if a trainer is started here
   * @param notices receives one line per worker started here
   * @return the session
   * @throws WorkerStartException when a worker cannot start
   * @throws InterruptedException when interrupted while waiting for the decoder
   */
  public static PipelineSession open(
      final KafkaEndpoint kafka,
      final Path bundle,
      final Path dataDir,
      final Set<Role> roles,
      final UnaryOperator<TrainerConfig> trainer,
      final Consumer<String> notices)
      throws WorkerStartException, InterruptedException {
    final String bootstrapServers = kafka.bootstrapServers();
    final Set<Role> missing =
        kafka.embedded().isPresent()
            ? EnumSet.copyOf(roles)
            : GroupMembers.missingRoles(bootstrapServers, roles);
    PipelineWorkers workers = null;
    String encoderId = null;
    Path used = null;
    if (!missing.isEmpty()) {
      final boolean needsBundle = missing.stream().anyMatch(r -> r != Role.INGEST);
      final Path model = needsBundle ? BundleLocation.resolve(bundle, notices) : bundle;
      used = needsBundle ? model : null;
      notices.accept(
          "starting in this process: "
              + missing.stream().map(Role::cliName).reduce((a, b) -> a + ", " + b).orElse("")
              + " worker(s)"
              + (needsBundle ? " with bundle " + model : ""));
      if (missing.contains(Role.ENCODER)) {
        try {
          encoderId = ModelBundle.read(model).encoderModelId();
        } catch (BundleFormatException e) {
          throw new WorkerStartException(e.getMessage(), e);
        }
      }
      workers =
          PipelineWorkers.start(
              missing,
              new PipelineWorkers.Settings(
                  bootstrapServers,
                  model,
                  dataDir,
                  hostName(),
                  new SimpleMeterRegistry(),
                  trainer));
      if (!workers.awaitReady(Duration.ofSeconds(120))) {
        workers.close();
        throw new WorkerStartException("the decoder worker did not reach RUNNING in 120 s", null);
      }
    }
    try {
      return new PipelineSession(
          PipelineClient.connect(bootstrapServers, Optional.ofNullable(encoderId)), workers, used);
    } catch (RuntimeException e) {
      if (workers != null) {
        workers.close();
      }
      throw e;
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "local";
    }
  }

  /**
   * @return the client: scans, prompts and masks through Kafka
   */
  public PipelineClient client() {
    return client;
  }

  /**
   * @return the bundle of the encoder or decoder started here, if one was
   */
  public Optional<Path> localBundle() {
    return Optional.ofNullable(bundle);
  }

  /**
   * @return the trainer running in this JVM for this session, if one was started here
   */
  public Optional<TrainerWorker> trainer() {
    return workers == null ? Optional.empty() : workers.trainer();
  }

  /**
   * @return the roles running in this JVM for this session
   */
  public Set<Role> startedHere() {
    return workers == null ? EnumSet.noneOf(Role.class) : workers.roles();
  }

  @Override
  public void close() {
    client.close();
    if (workers != null) {
      final Set<Role> roles = workers.roles();
      workers.close();
      GroupMembers.forget(client.bootstrapServers(), roles);
    }
  }
}
