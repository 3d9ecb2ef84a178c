package io.medsam.stream.decoder;

import io.medsam.stream.decoder.session.SessionSettings;
import io.medsam.stream.records.weights.WeightsKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Minimal {@code --name value} parsing for {@link DecoderWorker#main}; the app CLI builds a {@link
 * DecoderWorkerConfig} itself.
 */
final class WorkerArguments {

  private WorkerArguments() {}

  static DecoderWorkerConfig parse(final String[] args) {
    final Map<String, String> a = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
      }
      a.put(args[i].substring(2), args[++i]);
    }
    if (!a.containsKey("bootstrap") || !a.containsKey("bundle")) {
      throw new IllegalArgumentException("--bootstrap and --bundle are required");
    }
    DecoderWorkerConfig c =
        DecoderWorkerConfig.defaults(a.get("bootstrap"), Path.of(a.get("bundle")));
    c =
        c.withIdentity(
            a.getOrDefault("application-id", c.applicationId()),
            Path.of(a.getOrDefault("state-dir", c.stateDir().toString())));
    final SessionSettings s = c.session();
    c =
        c.withSession(
            new SessionSettings(
                Integer.parseInt(a.getOrDefault("threads", String.valueOf(s.intraOpThreads()))),
                s.interOpThreads(),
                a.containsKey("opt-level")
                    ? SessionSettings.parseLevel(a.get("opt-level"))
                    : s.optimization()));
    if (a.containsKey("commit-ms")) {
      c =
          c.withBatching(
              c.flushInterval(),
              c.maxBatchSize(),
              Duration.ofMillis(Long.parseLong(a.get("commit-ms"))));
    }
    if (a.containsKey("weights-public-key")) {
      try {
        c = c.withWeightsPublicKey(WeightsKeys.readPublicKey(Path.of(a.get("weights-public-key"))));
      } catch (IOException e) {
        throw new IllegalArgumentException("--weights-public-key: " + e.getMessage(), e);
      }
    }
    final Map<String, Object> overrides = new HashMap<>();
    a.forEach(
        (k, v) -> {
          if (k.startsWith("streams.")) {
            overrides.put(k.substring("streams.".length()), v);
          }
        });
    return c.withStreamsOverrides(overrides);
  }
}
