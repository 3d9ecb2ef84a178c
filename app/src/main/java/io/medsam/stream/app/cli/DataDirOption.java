package io.medsam.stream.app.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --data-dir}: the root of everything {@code medsam} keeps on local disk. The embedded
 * broker's storage is its {@code broker/} subfolder, so {@code medsam broker} and a command that
 * starts the embedded default share one broker.
 */
public final class DataDirOption {
  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "data",
      description =
          "local state root; the embedded broker keeps its storage in DIR/broker "
              + "(default: ${DEFAULT-VALUE})")
  private Path dataDir;

  /**
   * @return the data root as given (relative paths resolve against the working directory)
   */
  public Path dataDir() {
    return dataDir;
  }

  /**
   * @return the embedded broker's storage directory, {@code <data-dir>/broker}
   */
  public Path brokerDir() {
    return dataDir.resolve("broker");
  }
}
