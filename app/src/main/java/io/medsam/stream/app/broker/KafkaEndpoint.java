package io.medsam.stream.app.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * The Kafka cluster a command talks to: the one at {@code --bootstrap-servers} when it answers,
 * otherwise (for a single loopback address only) the embedded broker, started on that port for the
 * command's duration and stopped by {@link #close()}.
 *
 * <pre>{@code
 * try (KafkaEndpoint kafka = KafkaEndpoint.connectOrStart(servers, brokerDir, System.err::println)) {
 *   producer = new KafkaProducer<>(ClientConfigs.producer(kafka.bootstrapServers()), ...);
 * }
 * }</pre>
 */
public final class KafkaEndpoint implements AutoCloseable {
  /** Bound for each probe step; a local broker answers in milliseconds. */
  public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

  /** Bound for a probe through TLS and SASL handshakes, on a cluster that may be remote. */
  public static final Duration SECURED_PROBE_TIMEOUT = Duration.ofSeconds(20);

  private final String bootstrapServers;
  private final EmbeddedKafka embedded;
  private final Path temporary;

  private KafkaEndpoint(
      final String bootstrapServers, final EmbeddedKafka embedded, final Path temporary) {
    this.bootstrapServers = bootstrapServers;
    this.embedded = embedded;
    this.temporary = temporary;
  }

  /**
   * As {@link #connectOrStart(String, Path, Consumer)}, with {@code temporaryRoot} owned by this
   * endpoint: an embedded broker keeps its data in {@code temporaryRoot/broker}, and {@link
   * #close()} deletes {@code temporaryRoot} whether or not a broker was started.
   *
   * @param bootstrapServers what the user asked for, e.g. {@code localhost:9092}
   * @param temporaryRoot a fresh directory for this command only
   * @param notices receives a one-line notice when the embedded broker is started
   * @return the endpoint; close it when the command ends
   * @throws BrokerStartException as for the other overload
   */
  public static KafkaEndpoint connectOrStartTemporary(
      final String bootstrapServers, final Path temporaryRoot, final Consumer<String> notices)
      throws BrokerStartException {
    try {
      return start(
          bootstrapServers,
          temporaryRoot.resolve("broker"),
          BrokerSettings.DEFAULT_SHARED_PARTITIONS,
          notices,
          temporaryRoot);
    } catch (BrokerStartException | RuntimeException e) {
      TemporaryTree.delete(temporaryRoot);
      throw e;
    }
  }

  /**
   * Uses the cluster at {@code bootstrapServers} if it answers, else starts the embedded default.
   *
   * @param bootstrapServers what the user asked for, e.g. {@code localhost:9092}
   * @param brokerDir storage of the embedded broker if one is started
   * @param notices receives a one-line notice when the embedded broker is started
   * @return the endpoint; close it when the command ends
   * @throws BrokerStartException when nothing answers at a remote address, something that is not
   *     Kafka holds the port, or the embedded broker fails to start
   */
  public static KafkaEndpoint connectOrStart(
      final String bootstrapServers, final Path brokerDir, final Consumer<String> notices)
      throws BrokerStartException {
    return connectOrStart(
        bootstrapServers, brokerDir, BrokerSettings.DEFAULT_SHARED_PARTITIONS, notices);
  }

  /**
   * As {@link #connectOrStart(String, Path, Consumer)}, with the partition count the embedded
   * broker gives the co-partitioned topics if it has to create them.
   *
   * @param bootstrapServers what the user asked for, e.g. {@code localhost:9092}
   * @param brokerDir storage of the embedded broker if one is started
   * @param sharedPartitions partitions of prompts, embeddings, masks and corrections
   * @param notices receives a one-line notice when the embedded broker is started
   * @return the endpoint; close it when the command ends
   * @throws BrokerStartException as for the other overload
   */
  public static KafkaEndpoint connectOrStart(
      final String bootstrapServers,
      final Path brokerDir,
      final int sharedPartitions,
      final Consumer<String> notices)
      throws BrokerStartException {
    return start(bootstrapServers, brokerDir, sharedPartitions, notices, null);
  }

  private static KafkaEndpoint start(
      final String bootstrapServers,
      final Path brokerDir,
      final int sharedPartitions,
      final Consumer<String> notices,
      final Path temporary)
      throws BrokerStartException {
    final BrokerProbe.Result found = BrokerProbe.probe(bootstrapServers, PROBE_TIMEOUT);
    if (found == BrokerProbe.Result.KAFKA) {
      return new KafkaEndpoint(bootstrapServers, null, temporary);
    }
    if (found == BrokerProbe.Result.NOT_KAFKA) {
      throw new BrokerStartException(
          "something listens at "
              + bootstrapServers
              + " but does not answer as Kafka within "
              + PROBE_TIMEOUT.toSeconds()
              + " s (a TLS or SASL listener? give its client properties with --kafka-config"
              + " FILE)",
          null);
    }
    final OptionalInt port = BrokerProbe.loopbackPort(bootstrapServers);
    if (port.isEmpty()) {
      throw new BrokerStartException(
          "no Kafka answers at "
              + bootstrapServers
              + "; the embedded"
              + " broker only stands in for a single local address such as localhost:9092",
          null);
    }
    notices.accept(
        "no Kafka at "
            + bootstrapServers
            + ": starting the embedded broker (data "
            + brokerDir.toAbsolutePath()
            + (temporary == null
                ? ", kept"
                : ", temporary: deleted when this command ends; --data-dir DIR keeps it")
            + ")");
    final EmbeddedKafka kafka =
        EmbeddedKafka.start(new BrokerSettings(brokerDir, port.getAsInt(), sharedPartitions));
    return new KafkaEndpoint(kafka.bootstrapServers(), kafka, temporary);
  }

  /**
   * The cluster at {@code bootstrapServers}, reached with the connection properties of this process
   * ({@code --kafka-config}); never the embedded broker.
   *
   * @param bootstrapServers the cluster's bootstrap servers
   * @param temporaryRoot a directory this endpoint owns and deletes on close, or null
   * @return the endpoint; close it when the command ends
   * @throws BrokerStartException naming the servers when they do not answer as Kafka with these
   *     properties (nothing listens, TLS or authentication fails, no answer in time)
   */
  public static KafkaEndpoint connectOnly(final String bootstrapServers, final Path temporaryRoot)
      throws BrokerStartException {
    try {
      BrokerProbe.requireKafka(bootstrapServers, SECURED_PROBE_TIMEOUT);
    } catch (BrokerStartException | RuntimeException e) {
      if (temporaryRoot != null) {
        TemporaryTree.delete(temporaryRoot);
      }
      throw e;
    }
    return new KafkaEndpoint(bootstrapServers, null, temporaryRoot);
  }

  /**
   * Starts an embedded broker of its own (for a command that needs a cluster nobody else uses).
   *
   * @param settings storage, port (0: a free one) and partitions
   * @return the endpoint; close it to stop the broker
   * @throws BrokerStartException when the broker fails to start
   */
  public static KafkaEndpoint startEmbedded(final BrokerSettings settings)
      throws BrokerStartException {
    final EmbeddedKafka kafka = EmbeddedKafka.start(settings);
    return new KafkaEndpoint(kafka.bootstrapServers(), kafka, null);
  }

  /**
   * @return the {@code bootstrap.servers} value for clients
   */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * @return the embedded broker if this endpoint started one
   */
  public Optional<EmbeddedKafka> embedded() {
    return Optional.ofNullable(embedded);
  }

  /**
   * Stops the embedded broker if this endpoint started one, then deletes its temporary directory if
   * it owns one; leaves a remote cluster alone.
   */
  @Override
  public void close() {
    try {
      if (embedded != null) {
        embedded.close();
      }
    } finally {
      if (temporary != null) {
        TemporaryTree.delete(temporary);
      }
    }
  }
}
