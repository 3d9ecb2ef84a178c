package io.medsam.stream.decoder.session;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

/**
 * ONNX Runtime settings of a decoder session.
 *
 * @param intraOpThreads threads inside one operator (0 = ONNX Runtime's default)
 * @param interOpThreads threads across operators (0 = default; only used when parallel)
 * @param optimization graph optimization level
 */
public record SessionSettings(int intraOpThreads, int interOpThreads, OptLevel optimization) {

  /** Validates the thread counts. */
  public SessionSettings {
    if (intraOpThreads < 0 || interOpThreads < 0) {
      throw new IllegalArgumentException("thread counts must be >= 0");
    }
  }

  /**
   * Defaults: all graph optimizations, intra-op threads = available processors, one inter-op thread
   * (the decoder graph is a chain; parallel execution only adds overhead).
   */
  public static SessionSettings defaults() {
    return new SessionSettings(Runtime.getRuntime().availableProcessors(), 1, OptLevel.ALL_OPT);
  }

  /**
   * Parses a level name as given on a command line: disable, basic, extended, all.
   *
   * @param name the level name
   * @return the level
   */
  public static OptLevel parseLevel(final String name) {
    return switch (name.toLowerCase(java.util.Locale.ROOT)) {
      case "disable", "none", "no_opt" -> OptLevel.NO_OPT;
      case "basic", "basic_opt" -> OptLevel.BASIC_OPT;
      case "extended", "extended_opt" -> OptLevel.EXTENDED_OPT;
      case "all", "all_opt" -> OptLevel.ALL_OPT;
      default -> throw new IllegalArgumentException("unknown graph optimization level: " + name);
    };
  }
}
