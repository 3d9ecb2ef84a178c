package io.medsam.stream.app.cli;

import io.medsam.stream.app.broker.BrokerStartException;
import io.medsam.stream.app.broker.KafkaEndpoint;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Options of every Kafka client command: {@code --bootstrap-servers} and {@code --data-dir}. Use
 * with {@code @Mixin CommonOptions common;}.
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

  @Mixin private DataDirOption data = new DataDirOption();

  /**
   * @return the bootstrap servers as given
   */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * @return the local data root
   */
  public Path dataDir() {
    return data.dataDir();
  }

  /**
   * @return the embedded broker's storage directory
   */
  public Path brokerDir() {
    return data.brokerDir();
  }

  /**
   * The cluster at {@code --bootstrap-servers}, or the embedded default started for this command (a
   * notice goes to stderr). Close it when the command ends.
   *
   * @return the endpoint
   * @throws BrokerStartException when neither is available
   */
  public KafkaEndpoint connect() throws BrokerStartException {
    return KafkaEndpoint.connectOrStart(
        bootstrapServers, brokerDir(), notice -> System.err.println("medsam: " + notice));
  }
}
