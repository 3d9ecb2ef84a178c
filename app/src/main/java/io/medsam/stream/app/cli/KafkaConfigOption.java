package io.medsam.stream.app.cli;

import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.topology.ConnectionProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --kafka-config FILE}: Kafka client properties ({@code security.protocol}, {@code sasl.*},
 * {@code ssl.*}) for every client of the command. Use with {@code @Mixin KafkaConfigOption
 * kafkaConfig;} and call {@link #apply()} before the first client is made. With a file, a command
 * talks to the given cluster only, never to an embedded broker started in its place.
 */
public final class KafkaConfigOption {

  @Option(
      names = "--kafka-config",
      paramLabel = "FILE",
      description =
          "Kafka client properties (security.protocol, sasl.*, ssl.*) for every producer, "
              + "consumer, admin client and Kafka Streams of this command; with it the embedded "
              + "broker never stands in for the cluster")
  private Path file;

  /**
   * @return the file, when given
   */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /**
   * Reads the file, when given, and makes every client configuration of this process carry its
   * properties.
   *
   * @return true when a file was given (the command must not fall back to an embedded broker)
   * @throws IllegalArgumentException when the file cannot be read or sets a key the pipeline sets
   */
  public boolean apply() {
    if (file == null) {
      return false;
    }
    try {
      ClientConfigs.connectWith(ConnectionProperties.read(file));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--kafka-config " + file + " cannot be read: " + e, new UncheckedIOException(e));
    }
    return true;
  }
}
