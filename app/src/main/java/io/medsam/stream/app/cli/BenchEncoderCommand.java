package io.medsam.stream.app.cli;

import io.medsam.stream.app.broker.BrokerStartException;
import io.medsam.stream.app.broker.KafkaEndpoint;
import io.medsam.stream.app.pipeline.BundleLocation;
import io.medsam.stream.encoder.BundleException;
import io.medsam.stream.encoder.EncoderException;
import io.medsam.stream.encoder.bench.EncoderBenchmark;
import io.medsam.stream.encoder.bench.PyTorchBaseline;
import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.topology.TopicLayout;
import io.medsam.stream.topology.TopicSpec;
import io.medsam.stream.topology.Topics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code medsam bench encoder}: slices/s of the Kafka encoder pipeline against the bare encoder
 * session, per batch size, and (LiteMedSAM family by default) against PyTorch's forward pass of the
 * same weights; the last line is one JSON object. The command creates the run's throw-away topics
 * and deletes them afterwards; {@link EncoderBenchmark} measures.
 */
@Command(
    name = "encoder",
    mixinStandardHelpOptions = true,
    description = {
      "Slices per second of ImageSlice-in-Kafka to committed SliceEmbedding (encoder worker) "
          + "against the same encoder session called directly, per batch size.",
      "With the PyTorch baseline (default for LiteMedSAM-family bundles, manifest resize "
          + "litemedsam) the same slices also go through PyTorch's forward pass of the bundle's "
          + "weights (model/bench_pytorch_encoder.py, batch 1, same threads), and each direct "
          + "figure is also given as a ratio to it.",
      "The last line printed is one JSON object (direct_slices_per_s, pipeline_slices_per_s, "
          + "ratio, bundle, curve, pytorch_slices_per_s, direct_vs_pytorch, pytorch)."
    })
public final class BenchEncoderCommand implements Callable<Integer> {

  @Mixin private CommonOptions common = new CommonOptions();

  @Option(
      names = "--bundle",
      paramLabel = "DIR",
      defaultValue = BundleLocation.DEMO_DIR,
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

  @Option(
      names = "--pytorch-baseline",
      paramLabel = "auto|on|off",
      defaultValue = "auto",
      converter = BaselineModeConverter.class,
      description =
          "measure PyTorch's forward pass of the same encoder in the same run: auto = for "
              + "LiteMedSAM-family bundles (manifest resize litemedsam); reported as "
              + "unavailable, not fatal, when Python or PyTorch is missing (default: "
              + "${DEFAULT-VALUE})")
  private PyTorchBaseline.Mode pytorchBaseline;

  @Option(
      names = "--python",
      paramLabel = "FILE",
      defaultValue = "/usr/bin/python3",
      description = "interpreter with PyTorch for the baseline (default: ${DEFAULT-VALUE})")
  private Path python;

  @Option(
      names = "--pytorch-script",
      paramLabel = "FILE",
      defaultValue = "model/bench_pytorch_encoder.py",
      description = "the baseline script (default: ${DEFAULT-VALUE})")
  private Path pytorchScript;

  /** Accepts the mode in any case. */
  static final class BaselineModeConverter implements ITypeConverter<PyTorchBaseline.Mode> {
    @Override
    public PyTorchBaseline.Mode convert(final String value) {
      return PyTorchBaseline.Mode.valueOf(value.toUpperCase(Locale.ROOT));
    }
  }

  /**
   * @return the PyTorch baseline settings the options give
   */
  PyTorchBaseline.Settings pytorchSettings() {
    return new PyTorchBaseline.Settings(
        pytorchBaseline, python, pytorchScript, PyTorchBaseline.Settings.defaults().timeout());
  }

  @Override
  public Integer call()
      throws BrokerStartException,
          BundleException,
          EncoderException,
          IOException,
          InterruptedException {
    final EncoderBenchmark.RunTopics topics = EncoderBenchmark.RunTopics.fresh();
    try (KafkaEndpoint kafka = common.connect();
        Admin admin = Admin.create(ClientConfigs.admin(kafka.bootstrapServers()))) {
      createTopics(admin, topics);
      try {
        EncoderBenchmark.run(
            new EncoderBenchmark.Options(
                kafka.bootstrapServers(),
                bundle,
                volume,
                slices,
                batches,
                threads == null ? Runtime.getRuntime().availableProcessors() : threads,
                Duration.ofMillis(50),
                pytorchSettings()),
            topics,
            System.out);
      } finally {
        admin.deleteTopics(List.of(topics.slices(), topics.embeddings()));
      }
    }
    return 0;
  }

  /** The run's topics with the partitions and configs of the topics they stand in for. */
  private static void createTopics(final Admin admin, final EncoderBenchmark.RunTopics topics)
      throws IOException, InterruptedException {
    final List<NewTopic> created = new ArrayList<>();
    for (final String[] pair :
        new String[][] {
          {Topics.SLICES, topics.slices()}, {Topics.EMBEDDINGS, topics.embeddings()}
        }) {
      final TopicSpec spec = Topics.spec(pair[0], TopicLayout.DEFAULT);
      created.add(new NewTopic(pair[1], spec.partitions(), (short) 1).configs(spec.configs()));
    }
    try {
      admin.createTopics(created).all().get();
    } catch (ExecutionException e) {
      throw new IOException("cannot create the benchmark topics", e.getCause());
    }
  }
}
