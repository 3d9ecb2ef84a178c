package io.medsam.stream.app.cli;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --data-dir} of the persistent commands ({@code medsam broker}, {@code medsam run}): the
 * root of what they keep on local disk, the broker's storage in its {@code broker/} subfolder.
 * Default: {@code $MEDSAM_DATA_DIR} if set, else {@code
 * ${XDG_DATA_HOME:-$HOME/.local/share}/medsam}.
 */
public final class DataDirOption {
  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "local state root, kept across restarts; the broker keeps its storage in DIR/broker "
              + "(default: $MEDSAM_DATA_DIR if set, else "
              + "$${XDG_DATA_HOME:-$$HOME/.local/share}/medsam)")
  private Path dataDir;

  /**
   * @return the data root given, or the persistent default for this environment
   */
  public Path dataDir() {
    return dataDir != null ? dataDir : persistentDefault(System.getenv());
  }

  /**
   * @return the embedded broker's storage directory, {@code <data-dir>/broker}
   */
  public Path brokerDir() {
    return dataDir().resolve("broker");
  }

  /**
   * The default data root: {@code $MEDSAM_DATA_DIR}, else {@code $XDG_DATA_HOME/medsam}, else
   * {@code $HOME/.local/share/medsam} (the XDG base directory rule).
   *
   * @param env the environment variables
   * @return the data root
   */
  static Path persistentDefault(final Map<String, String> env) {
    final String explicit = env.get("MEDSAM_DATA_DIR");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    final String xdg = env.get("XDG_DATA_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "medsam");
    }
    final String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    return Path.of(home, ".local", "share", "medsam");
  }
}
