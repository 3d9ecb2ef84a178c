package io.medsam.stream.app.cli;

import io.medsam.stream.app.broker.BrokerProbe;
import io.medsam.stream.app.broker.BrokerSettings;
import io.medsam.stream.app.broker.BrokerStartException;
import io.medsam.stream.app.broker.EmbeddedKafka;
import io.medsam.stream.app.broker.KafkaEndpoint;
import io.medsam.stream.app.pipeline.BundleLocation;
import io.medsam.stream.app.pipeline.MetricsServer;
import io.medsam.stream.app.pipeline.PipelineWorkers;
import io.medsam.stream.app.pipeline.Role;
import io.medsam.stream.app.pipeline.ViewerAddress;
import io.medsam.stream.app.pipeline.WorkerStartException;
import io.medsam.stream.app.pipeline.WorkerSupervisor;
import io.medsam.stream.decoder.DecoderWorkerConfig;
import io.medsam.stream.dicom.orthanc.OrthancServers;
import io.medsam.stream.records.weights.WeightsKeys;
import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.topology.TopicLayout;
import io.medsam.stream.topology.TopicProvisioner;
import io.medsam.stream.topology.Topics;
import io.medsam.stream.viewer.ViewerConfig;
import io.medsam.stream.viewer.ViewerWorker;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code medsam run}: the pipeline's workers in this JVM until SIGTERM or Ctrl-C; with no {@code
 * --bootstrap-servers}, on the embedded broker started here.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run MedSAM workers until SIGTERM or Ctrl-C, with their Prometheus metrics.",
      "Without --bootstrap-servers: the embedded broker (localhost:PORT) and every worker in "
          + "this JVM. With it: the given role(s) against that cluster, after creating any "
          + "missing topic with --partitions and --replication-factor."
    })
public final class RunCommand implements Callable<Integer> {
  /** How long SIGTERM waits for workers and broker to close. */
  static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(90);

  @Mixin private DataDirOption data = new DataDirOption();

  @Mixin private TrainerOptions trainer = new TrainerOptions();

  @Mixin private KafkaConfigOption kafkaConfig = new KafkaConfigOption();
  @Mixin private ScanIntakeOptions scans = new ScanIntakeOptions();

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT[,HOST:PORT...]",
      description = "an existing Kafka cluster (default: start the embedded broker)")
  private String bootstrapServers;

  @Option(
      names = "--role",
      paramLabel = "all|ingest|encoder|decoder|trainer|viewer|orthanc",
      defaultValue = "all",
      description =
          "worker role(s) to run here (default: ${DEFAULT-VALUE}; all includes the Orthanc "
              + "bridge only with --orthanc)")
  private String role;

  @Option(
      names = "--orthanc",
      paramLabel = "[NAME=]URL",
      description =
          "an Orthanc DICOM server (repeatable; NAME defaults to orthanc): the orthanc role "
              + "announces its stable series, ingest reads series only from these")
  private List<String> orthanc = new ArrayList<>();

  @Option(
      names = "--bundle",
      paramLabel = "DIR",
      defaultValue = BundleLocation.DEMO_DIR,
      description =
          "model bundle of the encoder, decoder and trainer (default: ${DEFAULT-VALUE};"
              + " the random-weights test bundle stands in until it is built)")
  private Path bundle;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "9092",
      description = "embedded broker's client port; 0 picks a free one (default: ${DEFAULT-VALUE})")
  private int port;

  @Option(
      names = "--partitions",
      paramLabel = "N",
      defaultValue = "3",
      description =
          "partitions of prompts, embeddings, masks and corrections when created "
              + "(default: ${DEFAULT-VALUE})")
  private int partitions;

  @Option(
      names = "--replication-factor",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "replicas of each topic created on an external cluster "
              + "(default: ${DEFAULT-VALUE}; the embedded broker has one)")
  private int replicationFactor;

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      defaultValue = "9464",
      description =
          "Prometheus endpoint http://HOST:PORT/metrics, with /health and /ready; 0 picks a "
              + "free port (default: ${DEFAULT-VALUE})")
  private int metricsPort;

  @Option(
      names = "--metrics-host",
      paramLabel = "HOST",
      defaultValue = MetricsServer.DEFAULT_HOST,
      description =
          "address of /metrics, /health and /ready; loopback unless told otherwise, 0.0.0.0 for "
              + "every interface (default: ${DEFAULT-VALUE})")
  private String metricsHost;

  @Option(
      names = "--http-host",
      paramLabel = "HOST",
      defaultValue = ViewerConfig.DEFAULT_HOST,
      description =
          "address of the viewer role's page; loopback unless told otherwise "
              + "(default: ${DEFAULT-VALUE})")
  private String httpHost;

  @Option(
      names = "--http-port",
      paramLabel = "PORT",
      defaultValue = "8080",
      description =
          "port of the viewer role's page http://HOST:PORT/; 0 picks a free one "
              + "(default: ${DEFAULT-VALUE})")
  private int httpPort;

  @Option(
      names = "--instance-id",
      paramLabel = "ID",
      description = "stable name of this instance in transactional ids (default: host name)")
  private String instanceId;

  @Option(
      names = "--weights-public-key",
      paramLabel = "FILE",
      description =
          "decoder: serve only decoder weights signed by this X.509 Ed25519 public key (PEM or"
              + " DER); others are dead-lettered (default: unverified, with a warning)")
  private Path weightsPublicKey;

  @Spec private CommandSpec spec;

  @Override
  public Integer call()
      throws BrokerStartException, WorkerStartException, IOException, InterruptedException {
    final OrthancServers orthancs = OrthancServers.parse(orthanc);
    final Set<Role> roles = Role.forRun(role, !orthancs.isEmpty());
    final TopicLayout layout = new TopicLayout(partitions, replicationFactor);
    if (bootstrapServers == null && replicationFactor != 1) {
      throw new IllegalArgumentException(
          "the embedded broker is a single node: "
              + "--replication-factor needs --bootstrap-servers of a larger cluster");
    }
    if (kafkaConfig.apply()) {
      if (bootstrapServers == null) {
        throw new IllegalArgumentException(
            "--kafka-config needs --bootstrap-servers: the embedded broker never stands in");
      }
      BrokerProbe.requireKafka(bootstrapServers, KafkaEndpoint.SECURED_PROBE_TIMEOUT);
    }
    final PrintWriter out = spec.commandLine().getOut();
    Optional<String> failure = Optional.empty();
    try (StopSignal stop = StopSignal.onShutdown(SHUTDOWN_GRACE)) {
      final EmbeddedKafka embedded =
          bootstrapServers == null
              ? EmbeddedKafka.start(new BrokerSettings(data.brokerDir(), port, partitions))
              : null;
      try {
        final String servers = embedded == null ? bootstrapServers : embedded.bootstrapServers();
        if (embedded == null) {
          try (Admin admin = Admin.create(ClientConfigs.admin(servers))) {
            TopicProvisioner.ensure(admin, Topics.all(layout));
          }
        }
        failure = runWorkers(out, stop, roles, servers, orthancs);
      } finally {
        if (embedded != null) {
          embedded.close();
        }
      }
      if (failure.isPresent()) {
        final PrintWriter err = spec.commandLine().getErr();
        err.println("medsam run failed: " + failure.get());
        err.flush();
        return 1;
      }
      out.println("medsam run stopped");
      out.flush();
    }
    return 0;
  }

  /** Runs the workers until a stop is asked for or one cannot be kept running (its reason). */
  private Optional<String> runWorkers(
      final PrintWriter out,
      final StopSignal stop,
      final Set<Role> roles,
      final String servers,
      final OrthancServers orthancs)
      throws IOException, WorkerStartException, InterruptedException {
    final boolean needsBundle = roles.stream().anyMatch(Role::needsBundle);
    final Path model =
        needsBundle
            ? BundleLocation.resolve(bundle, notice -> System.err.println("medsam: " + notice))
            : bundle;
    try (MetricsServer metrics = MetricsServer.start(metricsHost, metricsPort);
        PipelineWorkers workers =
            PipelineWorkers.start(
                roles,
                new PipelineWorkers.Settings(
                    servers,
                    model,
                    data.dataDir(),
                    instanceId(),
                    metrics.registry(),
                    trainer::apply,
                    new ViewerAddress(httpHost, httpPort),
                    orthancs,
                    decoderSettings(),
                    scans.intake(
                        bootstrapServers == null,
                        notice -> System.err.println("medsam: " + notice))));
        WorkerSupervisor supervisor =
            WorkerSupervisor.start(
                workers,
                WorkerSupervisor.Policy.defaults(),
                Clock.systemUTC(),
                reason -> stop.request())) {
      metrics.readiness(workers::readiness);
      out.printf(
          "medsam run ready: bootstrap.servers=%s roles=%s metrics=%s%s%s%s%n",
          servers,
          roles.stream().map(Role::cliName).collect(Collectors.joining(",")),
          metrics.url(),
          needsBundle ? " bundle=" + model : "",
          workers.viewer().flatMap(ViewerWorker::url).map(u -> " viewer=" + u).orElse(""),
          orthancs.isEmpty() ? "" : " orthanc=" + orthancs);
      out.flush();
      stop.await();
      out.println("medsam run stopping: closing workers");
      out.flush();
      return supervisor.gaveUp();
    }
  }

  /**
   * What this run changes in the decoder's defaults: the trusted weights key, and the replication
   * factor of its Kafka Streams internal topics (the run's {@code --replication-factor}).
   *
   * @throws IOException if {@code --weights-public-key} cannot be read
   */
  UnaryOperator<DecoderWorkerConfig> decoderSettings() throws IOException {
    final PublicKey key =
        weightsPublicKey == null ? null : WeightsKeys.readPublicKey(weightsPublicKey);
    return c -> {
      final DecoderWorkerConfig rf = c.withReplicationFactor(replicationFactor);
      return key == null ? rf : rf.withWeightsPublicKey(key);
    };
  }

  private String instanceId() {
    if (instanceId != null) {
      return instanceId;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "local";
    }
  }
}
