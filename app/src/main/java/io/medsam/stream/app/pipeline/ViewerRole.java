package io.medsam.stream.app.pipeline;

import io.medsam.stream.bundle.BundleFormatException;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.trainer.publish.WeightsAdmin;
import io.medsam.stream.viewer.DecoderBase;
import io.medsam.stream.viewer.ModelView;
import io.medsam.stream.viewer.ViewerConfig;
import io.medsam.stream.viewer.ViewerWorker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The viewer role's worker: the viewer module (a client, no ML runtime) given what only this
 * process has, the bundle's model view and own decoder version, the weights publisher's rollback
 * ({@code medsam weights rollback}'s), so the page rolls back exactly as the command line does, and
 * the run's Orthancs ({@code --orthanc}), the only ones the viewer reads a series from or stores a
 * SEG into.
 */
final class ViewerRole {

  private static final Logger LOG = LoggerFactory.getLogger(ViewerRole.class);

  private ViewerRole() {}

  static ViewerWorker build(final PipelineWorkers.Settings s) {
    final String servers = s.bootstrapServers();
    ViewerConfig config =
        ViewerConfig.defaults(servers)
            .withAddress(s.viewer().host(), s.viewer().port())
            .withOrthancs(s.orthancs())
            .withRollback(
                version -> {
                  final var w = WeightsAdmin.rollback(servers, null, version);
                  return w.getModelId() + " " + w.getVersion();
                });
    try {
      final ModelBundle bundle = ModelBundle.read(s.bundle());
      config =
          config
              .withModelView(
                  new ModelView(bundle.imageSize(), bundle.resize(), bundle.encoderModelId()))
              .withDecoderBase(new DecoderBase(bundle.id(), bundle.version()));
    } catch (BundleFormatException e) {
      LOG.warn("viewer without the model's view: {}", e.getMessage());
    }
    return new ViewerWorker(config);
  }
}
