package io.medsam.stream.app.cli;

import io.medsam.stream.app.broker.BrokerStartException;
import io.medsam.stream.app.broker.KafkaEndpoint;
import io.medsam.stream.encoder.BundleException;
import io.medsam.stream.encoder.EncoderException;
import io.medsam.stream.encoder.bench.EncoderBenchmark;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code medsam bench encoder}: slices/s of the Kafka encoder pipeline against the bare encoder
 * session, per batch size; the last line is one JSON object.
 */
@Command(
    name = "encoder",
    mixinStandardHelpOptions = true,
    description = {
      "Slices per second of ImageSlice-in-Kafka to committed SliceEmbedding (encoder worker) "
          + "against the same encoder session called directly, per batch size.",
      "The last line printed is one JSON object (direct_slices_per_s, pipeline_slices_per_s, "
          + "ratio, bundle, curve)."
    })
public final class BenchEncoderCommand implements Callable<Integer> {

  @Mixin private CommonOptions common = new CommonOptions();

  @Option(
      names = "--bundle",
      paramLabel = "DIR",
      defaultValue = "model/bundles/medsam-tiny-brain",
      description = "model bundle (default: ${DEFAULT-VALUE})")
  private Path bundle;

  @Option(
      names = "--slices",
      paramLabel = "N",
      defaultValue = "64",
      description = "slices per measurement (default: ${DEFAULT-VALUE})")
  private int slices;

  @Option(
      names = "--batches",
      paramLabel = "B[,B...]",
      split = ",",
      defaultValue = "1,2,4,8",
      description = "batch sizes; the last is the headline figure (default: ${DEFAULT-VALUE})")
  private List<Integer> batches;

  @Option(
      names = "--threads",
      paramLabel = "T",
      description = "ONNX Runtime intra-op threads (default: all cores)")
  private Integer threads;

  @Option(
      names = "--volume",
      paramLabel = "FILE",
      defaultValue = EncoderBenchmark.DEFAULT_VOLUME,
      description = "NIfTI volume whose axial slices are encoded (default: ${DEFAULT-VALUE})")
  private Path volume;

  @Override
  public Integer call()
      throws BrokerStartException,
          BundleException,
          EncoderException,
          IOException,
          InterruptedException {
    try (KafkaEndpoint kafka = common.connect()) {
      EncoderBenchmark.run(
          new EncoderBenchmark.Options(
              kafka.bootstrapServers(),
              bundle,
              volume,
              slices,
              batches,
              threads == null ? Runtime.getRuntime().availableProcessors() : threads,
              Duration.ofMillis(50)),
          System.out);
    }
    return 0;
  }
}
