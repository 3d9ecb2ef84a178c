package io.medsam.stream.app.pipeline;

import io.medsam.stream.bundle.BundleFormatException;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.decoder.DecoderWorker;
import io.medsam.stream.decoder.DecoderWorkerConfig;
import io.medsam.stream.decoder.session.DecoderSessionException;
import io.medsam.stream.dicom.follower.OrthancFollower;
import io.medsam.stream.encoder.BundleException;
import io.medsam.stream.encoder.EncoderSessionOptions;
import io.medsam.stream.encoder.EncoderWorker;
import io.medsam.stream.encoder.EncoderWorkerConfig;
import io.medsam.stream.ingest.IngestWorker;
import io.medsam.stream.topology.worker.Worker;
import io.medsam.stream.trainer.TrainerConfig;
import io.medsam.stream.trainer.TrainerWorker;
import io.medsam.stream.trainer.publish.TrainerLeaseException;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the (not yet started) {@link Worker} of each {@link Role} from the shared settings: the
 * one place that knows which class, configuration and meters a role has. A role to come adds a case
 * here and nothing else in the pipeline.
 */
final class RoleWorkers {

  private static final Logger LOG = LoggerFactory.getLogger(RoleWorkers.class);

  private RoleWorkers() {}

  /**
   * The worker of {@code role}, holding its clients and sessions, not started.
   *
   * @throws WorkerStartException when its bundle cannot be loaded
   */
  static Worker build(final Role role, final PipelineWorkers.Settings s)
      throws WorkerStartException {
    final String txId = role.group() + "-" + s.instanceId();
    return switch (role) {
      case INGEST ->
          new IngestWorker(
              s.bootstrapServers(),
              txId,
              Map.of(),
              s.registry(),
              s.orthancs(),
              s.scans().roots(),
              s.scans().limits());
      case ENCODER -> encoder(s, txId);
      case DECODER -> decoder(role, s);
      case TRAINER -> trainer(s);
      case VIEWER -> ViewerRole.build(s);
      case ORTHANC -> orthanc(s);
    };
  }

  /** The bridge's transactional id is its Orthancs' names, not the instance id (see its doc). */
  private static Worker orthanc(final PipelineWorkers.Settings s) throws WorkerStartException {
    if (s.orthancs().isEmpty()) {
      throw new WorkerStartException("orthanc: needs --orthanc [NAME=]URL", null);
    }
    return new OrthancFollower(s.bootstrapServers(), s.orthancs(), Map.of(), s.registry());
  }

  private static Worker encoder(final PipelineWorkers.Settings s, final String txId)
      throws WorkerStartException {
    try {
      return EncoderWorker.open(
          EncoderWorkerConfig.of(s.bootstrapServers(), txId)
              .withMaxSlicePixels(s.scans().limits().maxSlicePixels()),
          ModelBundle.read(s.bundle()),
          EncoderSessionOptions.defaults(),
          s.registry());
    } catch (BundleFormatException | BundleException e) {
      throw new WorkerStartException("encoder: " + e.getMessage(), e);
    }
  }

  private static Worker decoder(final Role role, final PipelineWorkers.Settings s)
      throws WorkerStartException {
    try {
      final DecoderWorker decoder =
          new DecoderWorker(
              s.decoder()
                  .apply(
                      DecoderWorkerConfig.defaults(s.bootstrapServers(), s.bundle())
                          .withIdentity(role.group(), s.dataDir().resolve("decoder-state"))),
              version -> LOG.info("decoder weights {} live", version));
      decoder.bindMetrics(s.registry());
      return decoder;
    } catch (BundleFormatException | DecoderSessionException e) {
      throw new WorkerStartException("decoder: " + e.getMessage(), e);
    }
  }

  private static Worker trainer(final PipelineWorkers.Settings s) throws WorkerStartException {
    try {
      final TrainerWorker trainer =
          TrainerWorker.open(
              s.trainer().apply(TrainerConfig.defaults(s.bootstrapServers(), s.bundle())));
      Gauge.builder("medsam.trainer.pairs", trainer.pairs(), p -> p.size())
          .description("labelled correction pairs taken in")
          .register(s.registry());
      return trainer;
    } catch (IOException | TrainerLeaseException e) {
      throw new WorkerStartException("trainer: " + e.getMessage(), e);
    }
  }
}
