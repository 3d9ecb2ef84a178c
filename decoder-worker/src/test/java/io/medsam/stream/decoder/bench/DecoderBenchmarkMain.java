package io.medsam.stream.decoder.bench;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import io.medsam.stream.decoder.KafkaTestCluster;
import io.medsam.stream.decoder.session.SessionSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs {@link DecoderBenchmark} on an in-process broker (for measuring from the test classpath
 * until the {@code medsam bench decoder} command wires it). Arguments: bundle dir, [prompts],
 * [intra-op threads], [opt level], [commit ms].
 */
public final class DecoderBenchmarkMain {

  private DecoderBenchmarkMain() {}

  public static void main(final String[] args) throws Exception {
    final Path bundle = Path.of(args[0]);
    final int prompts = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    final int threads =
        args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
    final OptLevel level = args.length > 3 ? SessionSettings.parseLevel(args[3]) : OptLevel.ALL_OPT;
    final long commitMs = args.length > 4 ? Long.parseLong(args[4]) : 10;
    try (KafkaTestCluster cluster = KafkaTestCluster.start()) {
      final BenchmarkSettings s =
          BenchmarkSettings.defaults(
                  cluster.bootstrapServers(), bundle, Files.createTempDirectory("decoder-bench"))
              .withPrompts(prompts)
              .withSession(new SessionSettings(threads, 1, level))
              .withCommitInterval(Duration.ofMillis(commitMs));
      DecoderBenchmark.run(s, System.out);
    }
    System.exit(0);
  }
}
