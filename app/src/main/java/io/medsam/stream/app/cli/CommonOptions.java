package io.medsam.stream.app.cli;

import io.medsam.stream.app.broker.BrokerStartException;
import io.medsam.stream.app.broker.KafkaEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Options of every Kafka client command: {@code --bootstrap-servers}, {@code --kafka-config} and
 * {@code --data-dir}. Use with {@code @Mixin CommonOptions common;}. Without {@code --data-dir} a
 * command keeps its local state (an embedded broker it starts, its workers' state) in a fresh
 * temporary directory deleted when it ends, so no command inherits another's unfinished work.
 */
public final class CommonOptions {
  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT[,HOST:PORT...]",
      defaultValue = "localhost:9092",
      description =
          "Kafka cluster to use; when nothing answers at a single local address the "
              + "embedded broker is started there for this command (default: ${DEFAULT-VALUE})")
  private String bootstrapServers;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "keep this command's local state in DIR (an embedded broker it starts stores its data "
              + "in DIR/broker and keeps it); default: a fresh temporary directory under "
              + "java.io.tmpdir, deleted when the command ends")
  private Path dataDir;

  @Mixin private KafkaConfigOption kafkaConfig = new KafkaConfigOption();

  private Path resolved;

  /**
   * @return the bootstrap servers as given
   */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * @return {@code --data-dir} if given, else this command's temporary directory once {@link
   *     #connect} has made it
   * @throws IllegalStateException before {@link #connect} when no {@code --data-dir} was given
   */
  public Path dataDir() {
    if (dataDir != null) {
      return dataDir;
    }
    if (resolved == null) {
      throw new IllegalStateException("no --data-dir and not connected yet");
    }
    return resolved;
  }

  /**
   * @return {@code --data-dir} as given, or null (temporary storage)
   */
  public Path explicitDataDir() {
    return dataDir;
  }

  /**
   * The cluster at {@code --bootstrap-servers}, or the embedded default started for this command (a
   * notice on stderr says where its data is). Close it when the command ends: that stops an
   * embedded broker and deletes the temporary directory. With {@code --kafka-config}, every client
   * carries its properties and only the given cluster will do.
   *
   * @return the endpoint
   * @throws BrokerStartException when neither is available, or no temporary directory can be made
   */
  public KafkaEndpoint connect() throws BrokerStartException {
    if (kafkaConfig.apply()) {
      resolved = dataDir != null ? dataDir : temporaryDirectory();
      return KafkaEndpoint.connectOnly(bootstrapServers, dataDir != null ? null : resolved);
    }
    if (dataDir != null) {
      resolved = dataDir;
      return KafkaEndpoint.connectOrStart(
          bootstrapServers, dataDir.resolve("broker"), CommonOptions::notice);
    }
    resolved = temporaryDirectory();
    return KafkaEndpoint.connectOrStartTemporary(bootstrapServers, resolved, CommonOptions::notice);
  }

  private static Path temporaryDirectory() throws BrokerStartException {
    try {
      return Files.createTempDirectory("medsam-");
    } catch (IOException e) {
      throw new BrokerStartException("cannot create a temporary data directory: " + e, e);
    }
  }

  private static void notice(final String notice) {
    System.err.println("medsam: " + notice);
  }
}
