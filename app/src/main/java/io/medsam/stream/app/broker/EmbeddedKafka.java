package io.medsam.stream.app.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka cluster in this JVM: Kafka's own {@link KafkaRaftServer} running as
 * broker and sole KRaft controller, on storage that is formatted on first start and kept across
 * restarts. After the server is up every MedSAM topic is ensured (created when missing, refused
 * when it exists with a different partition count or cleanup policy).
 *
 * <p>Closing shuts the server down and waits for it; a closed instance cannot be restarted, start a
 * new one on the same directory instead.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final int BIND_ATTEMPTS = 3;

  private final KafkaRaftServer server;
  private final StorageLock lock;
  private final Path dataDir;
  private final int port;
  private final String clusterId;
  private final Duration startupTime;
  private boolean closed;

  private EmbeddedKafka(
      final KafkaRaftServer server,
      final StorageLock lock,
      final Path dataDir,
      final int port,
      final String clusterId,
      final Duration startupTime) {
    this.server = server;
    this.lock = lock;
    this.dataDir = dataDir;
    this.port = port;
    this.clusterId = clusterId;
    this.startupTime = startupTime;
  }

  /**
   * Formats the storage if needed, starts the server, waits until the broker is unfenced and
   * ensures the MedSAM topics.
   *
   * @param settings data directory, client port (0 = a free one) and partition count
   * @return the running broker
   * @throws BrokerStartException when storage, ports, the server or topic provisioning fail
   */
  public static EmbeddedKafka start(final BrokerSettings settings) throws BrokerStartException {
    Objects.requireNonNull(settings, "settings");
    final long t0 = System.nanoTime();
    final Path dir = settings.dataDir().toAbsolutePath().normalize();
    final StorageLock lock = StorageLock.acquire(dir);
    try {
      if (settings.port() != 0) {
        LocalPorts.requireFree(settings.port());
      }
      final String clusterId =
          BrokerStorage.formatIfNeeded(
              dir, BrokerProperties.NODE_ID, BrokerProperties.CONTROLLER_LISTENER);
      final Running running = startWithPorts(settings, dir);
      try {
        TopicSetup.ensure(bootstrapServers(running.port()), settings.sharedPartitions());
      } catch (BrokerStartException | RuntimeException e) {
        stop(running.server());
        throw e;
      }
      final EmbeddedKafka kafka =
          new EmbeddedKafka(
              running.server(),
              lock,
              dir,
              running.port(),
              clusterId,
              Duration.ofNanos(System.nanoTime() - t0));
      LOG.info(
          "embedded Kafka up at {} (cluster {}, data {}) in {} ms",
          kafka.bootstrapServers(),
          clusterId,
          dir,
          kafka.startupTime().toMillis());
      return kafka;
    } catch (BrokerStartException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  /** A started server and the client port it listens on. */
  private record Running(KafkaRaftServer server, int port) {}

  private static Running startWithPorts(final BrokerSettings settings, final Path dir)
      throws BrokerStartException {
    final boolean anyPort = settings.port() == 0;
    for (int attempt = 1; ; attempt++) {
      final int port = anyPort ? LocalPorts.free() : settings.port();
      final int controllerPort = LocalPorts.free();
      try {
        return new Running(startServer(dir, port, controllerPort), port);
      } catch (RuntimeException e) {
        if (LocalPorts.isBindFailure(e) && anyPort && attempt < BIND_ATTEMPTS) {
          LOG.info("port {} or {} was taken meanwhile, retrying", port, controllerPort);
          continue;
        }
        if (LocalPorts.isBindFailure(e)) {
          throw new BrokerStartException(
              "cannot listen on localhost:"
                  + port
                  + " (or controller port "
                  + controllerPort
                  + "): address in use",
              e);
        }
        throw new BrokerStartException(
            "embedded Kafka on " + dir + " failed to start: " + e.getMessage(), e);
      }
    }
  }

  private static KafkaRaftServer startServer(
      final Path dir, final int port, final int controllerPort) {
    final KafkaConfig config =
        KafkaConfig.fromProps(BrokerProperties.singleNode(dir, port, controllerPort), false);
    final KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    try {
      server.startup();
      return server;
    } catch (RuntimeException e) {
      stop(server);
      throw e;
    }
  }

  private static void stop(final KafkaRaftServer server) {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      LOG.warn("embedded Kafka did not shut down cleanly", e);
    }
  }

  /**
   * @return {@code localhost:PORT}, for {@code bootstrap.servers}
   */
  public String bootstrapServers() {
    return bootstrapServers(port);
  }

  private static String bootstrapServers(final int port) {
    return "localhost:" + port;
  }

  /**
   * @return the client listener port actually in use
   */
  public int port() {
    return port;
  }

  /**
   * @return the cluster id persisted in the data directory
   */
  public String clusterId() {
    return clusterId;
  }

  /**
   * @return the absolute storage directory
   */
  public Path dataDir() {
    return dataDir;
  }

  /**
   * @return wall time from {@link #start} until the broker served and topics were ensured
   */
  public Duration startupTime() {
    return startupTime;
  }

  /** Shuts the broker and controller down and waits until they have stopped. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    final long t0 = System.nanoTime();
    stop(server);
    lock.close();
    LOG.info(
        "embedded Kafka at {} stopped in {} ms",
        bootstrapServers(),
        (System.nanoTime() - t0) / 1_000_000);
  }
}
