package io.medsam.stream.app.cli;

import io.medsam.stream.app.broker.BrokerStartException;
import io.medsam.stream.app.broker.KafkaEndpoint;
import io.medsam.stream.app.pipeline.BundleLocation;
import io.medsam.stream.decoder.bench.BenchmarkException;
import io.medsam.stream.decoder.bench.BenchmarkSettings;
import io.medsam.stream.decoder.bench.DecoderBenchmark;
import io.medsam.stream.decoder.session.SessionSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code medsam bench decoder}: prompt produced to MaskResult consumed latency (p50/p95/p99) of the
 * decoder worker against a direct decoder call on the same inputs; the last line is one JSON
 * object.
 */
@Command(
    name = "decoder",
    mixinStandardHelpOptions = true,
    description =
        "Decoder latency: prompt produced -> MaskResult consumed vs a direct decoder call.")
public final class BenchDecoderCommand implements Callable<Integer> {

  @Mixin private CommonOptions common;

  @Option(
      names = "--bundle",
      paramLabel = "DIR",
      defaultValue = BundleLocation.DEMO_DIR,
      description = "model bundle (default: ${DEFAULT-VALUE})")
  private Path bundle;

  @Option(
      names = "--prompts",
      defaultValue = "1000",
      description = "measured prompts (default: ${DEFAULT-VALUE})")
  private int prompts;

  @Option(
      names = "--threads",
      defaultValue = "0",
      description = "ONNX Runtime intra-op threads (default: available processors)")
  private int threads;

  @Option(
      names = "--opt-level",
      defaultValue = "all",
      description = "graph optimization: disable, basic, extended, all (default: ${DEFAULT-VALUE})")
  private String optLevel;

  @Option(
      names = "--commit-ms",
      defaultValue = "100",
      description = "decoder worker commit interval, ms (default: ${DEFAULT-VALUE})")
  private long commitMs;

  @Override
  public Integer call()
      throws BrokerStartException, BenchmarkException, InterruptedException, java.io.IOException {
    final int intraOp = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    try (KafkaEndpoint kafka = common.connect()) {
      final BenchmarkSettings settings =
          BenchmarkSettings.defaults(
                  kafka.bootstrapServers(),
                  bundle,
                  Files.createTempDirectory("medsam-bench-decoder"))
              .withPrompts(prompts)
              .withSession(new SessionSettings(intraOp, 1, SessionSettings.parseLevel(optLevel)))
              .withCommitInterval(Duration.ofMillis(commitMs));
      DecoderBenchmark.run(settings, System.out);
    }
    return 0;
  }
}
