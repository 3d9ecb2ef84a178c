package io.medsam.stream.app.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's storage directory: formatted once with Kafka's own {@link Formatter} (what {@code
 * kafka-storage.sh format} and KafkaClusterTestKit run), after which {@code meta.properties} holds
 * the cluster id and every later start reuses the directory as it is.
 */
final class BrokerStorage {
  /** Written by the formatter; its presence means the directory is formatted. */
  static final String META_PROPERTIES = "meta.properties";

  private static final Logger LOG = LoggerFactory.getLogger(BrokerStorage.class);

  private BrokerStorage() {}

  /**
   * Formats {@code dir} for a static single-voter KRaft quorum at the latest production metadata
   * version, unless it already is formatted.
   *
   * @param dir the log directory, also the metadata log directory
   * @param nodeId the combined broker/controller node id
   * @param controllerListener name of the controller listener
   * @return the cluster id stored in the directory
   * @throws BrokerStartException when the directory cannot be created, read or formatted
   */
  static String formatIfNeeded(final Path dir, final int nodeId, final String controllerListener)
      throws BrokerStartException {
    final Optional<String> existing = clusterId(dir);
    if (existing.isPresent()) {
      return existing.get();
    }
    final String clusterId = Uuid.randomUuid().toString();
    final ByteArrayOutputStream transcript = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(transcript, true, StandardCharsets.UTF_8)) {
      Files.createDirectories(dir);
      new Formatter()
          .setPrintStream(out)
          .setNodeId(nodeId)
          .setClusterId(clusterId)
          .setDirectories(List.of(dir.toString()))
          .setMetadataLogDirectory(dir.toString())
          .setControllerListenerName(controllerListener)
          .setIgnoreFormatted(false)
          .run();
    } catch (IOException e) {
      throw new BrokerStartException("cannot create broker data directory " + dir, e);
    } catch (Exception e) { // Formatter.run() declares Exception
      throw new BrokerStartException("cannot format broker storage in " + dir + ": " + e, e);
    }
    LOG.info(
        "formatted {} (cluster {}): {}",
        dir,
        clusterId,
        transcript.toString(StandardCharsets.UTF_8).strip());
    return clusterId(dir)
        .orElseThrow(
            () -> new BrokerStartException("formatting " + dir + " wrote no cluster id", null));
  }

  /**
   * @param dir a broker data directory
   * @return the cluster id from its {@code meta.properties}, empty if it is not formatted
   * @throws BrokerStartException when the file exists but cannot be read
   */
  static Optional<String> clusterId(final Path dir) throws BrokerStartException {
    final Path meta = dir.resolve(META_PROPERTIES);
    if (!Files.isRegularFile(meta)) {
      return Optional.empty();
    }
    final Properties props = new Properties();
    try (InputStream in = Files.newInputStream(meta)) {
      props.load(in);
    } catch (IOException e) {
      throw new BrokerStartException("cannot read " + meta, e);
    }
    final String id = props.getProperty("cluster.id");
    if (id == null || id.isBlank()) {
      throw new BrokerStartException(
          meta + " has no cluster.id: not a Kafka data directory?", null);
    }
    return Optional.of(id);
  }
}
