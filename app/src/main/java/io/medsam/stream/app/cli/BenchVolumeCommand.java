package io.medsam.stream.app.cli;

import io.medsam.stream.app.broker.BrokerStartException;
import io.medsam.stream.app.broker.KafkaEndpoint;
import io.medsam.stream.app.pipeline.BundleLocation;
import io.medsam.stream.decoder.bench.BenchmarkException;
import io.medsam.stream.decoder.bench.BenchmarkSettings;
import io.medsam.stream.decoder.bench.VolumeBenchmark;
import io.medsam.stream.decoder.session.SessionSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code medsam bench volume}: time per step of a 3D walk through Kafka (VolumePrompt to
 * VolumeMask) against direct decoder calls on the same steps; the last line is one JSON object.
 */
@Command(
    name = "volume",
    mixinStandardHelpOptions = true,
    description = "3D walk: time per step through Kafka vs a direct decoder call per step.")
public final class BenchVolumeCommand implements Callable<Integer> {

  @Mixin private CommonOptions common;

  @Option(
      names = "--bundle",
      paramLabel = "DIR",
      defaultValue = BundleLocation.DEMO_DIR,
      description = "model bundle (default: ${DEFAULT-VALUE})")
  private Path bundle;

  @Option(
      names = "--slices",
      defaultValue = "40",
      description = "slices per walk (default: ${DEFAULT-VALUE})")
  private int slices;

  @Option(
      names = "--walks",
      defaultValue = "5",
      description = "measured walks, after one warm-up walk (default: ${DEFAULT-VALUE})")
  private int walks;

  @Option(
      names = "--threads",
      defaultValue = "0",
      description = "ONNX Runtime intra-op threads (default: available processors)")
  private int threads;

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
      final BenchmarkSettings defaults =
          BenchmarkSettings.defaults(
              kafka.bootstrapServers(), bundle, Files.createTempDirectory("medsam-bench-volume"));
      final BenchmarkSettings settings =
          new BenchmarkSettings(
                  defaults.bootstrapServers(),
                  defaults.bundleDir(),
                  defaults.prompts(),
                  defaults.warmup(),
                  slices,
                  defaults.height(),
                  defaults.width(),
                  defaults.session(),
                  defaults.commitInterval(),
                  defaults.flushInterval(),
                  defaults.maxBatchSize(),
                  defaults.stateDir(),
                  defaults.runId())
              .withSession(new SessionSettings(intraOp, 1, SessionSettings.parseLevel("all")))
              .withCommitInterval(Duration.ofMillis(commitMs));
      VolumeBenchmark.run(settings, walks, System.out);
    }
    return 0;
  }
}
