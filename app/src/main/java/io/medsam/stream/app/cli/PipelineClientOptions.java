package io.medsam.stream.app.cli;

import io.medsam.stream.app.broker.KafkaEndpoint;
import io.medsam.stream.app.client.PipelineSession;
import io.medsam.stream.app.pipeline.BundleLocation;
import io.medsam.stream.app.pipeline.WorkerStartException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Options of the commands that evaluate through the pipeline ({@code eval}, {@code demo}): {@code
 * --bundle} for the workers started here and {@code --timeout} for the waits for embeddings and
 * masks. Use with {@code @Mixin PipelineClientOptions pipeline;}.
 */
public final class PipelineClientOptions {

  @Option(
      names = "--bundle",
      paramLabel = "DIR",
      defaultValue = BundleLocation.DEMO_DIR,
      description =
          "model bundle of workers started here (default: ${DEFAULT-VALUE}; the "
              + "random-weights test bundle stands in until it is built)")
  private Path bundle;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "600",
      description =
          "longest wait for the embeddings, and again for the masks (default: "
              + "${DEFAULT-VALUE})")
  private long timeoutSeconds;

  /**
   * @return the longest wait for the embeddings, and again for the masks
   */
  public Duration timeout() {
    return Duration.ofSeconds(timeoutSeconds);
  }

  /**
   * A session with the pipeline on {@code kafka}, missing workers started here with {@code
   * --bundle}.
   *
   * @param kafka the cluster
   * @param common the command's common options (the data root)
   * @return the session; close it when the command ends
   * @throws WorkerStartException when a worker cannot start
   * @throws InterruptedException when interrupted
   */
  public PipelineSession open(final KafkaEndpoint kafka, final CommonOptions common)
      throws WorkerStartException, InterruptedException {
    return open(kafka, bundle, common);
  }

  /**
   * A session with the pipeline on {@code kafka}, missing workers started here with {@code bundle};
   * its notices go to stderr.
   */
  static PipelineSession open(
      final KafkaEndpoint kafka, final Path bundle, final CommonOptions common)
      throws WorkerStartException, InterruptedException {
    return PipelineSession.open(
        kafka, bundle, common.dataDir(), notice -> System.err.println("medsam: " + notice));
  }
}
