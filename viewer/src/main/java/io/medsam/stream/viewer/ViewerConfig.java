package io.medsam.stream.viewer;

import io.medsam.stream.dicom.orthanc.OrthancServers;
import java.time.Duration;
import java.util.Optional;

/**
 * What the viewer is started with.
 *
 * @param bootstrapServers the cluster
 * @param host the address to listen on (loopback unless told otherwise)
 * @param port the port; 0 picks a free one
 * @param maxBodyBytes the largest request body taken; larger ones get 413
 * @param maskWait how long one request for a mask waits before answering "still waiting"
 * @param modelView the model's input size and resize rule, for the "as the model sees it" view;
 *     empty when the viewer runs without a bundle
 * @param rollback republishes an earlier decoder weights version; empty where this process cannot
 * @param decoderBase the bundle's own decoder weights, shown as the first version; empty when the
 *     viewer runs without a bundle
 * @param orthancs the Orthancs this process is configured with ({@code --orthanc}): the only ones
 *     the viewer reads a series from or stores a SEG into, by the name a ScanEvent gives
 */
public record ViewerConfig(
    String bootstrapServers,
    String host,
    int port,
    int maxBodyBytes,
    Duration maskWait,
    Optional<ModelView> modelView,
    Optional<WeightsRollback> rollback,
    Optional<DecoderBase> decoderBase,
    OrthancServers orthancs) {

  /** The default address: loopback only. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** The default port. */
  public static final int DEFAULT_PORT = 8080;

  /** The default body limit: a 1024 x 1024 correction (base64) and its box, with room. */
  public static final int DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

  /**
   * @param bootstrapServers the cluster
   * @return loopback:8080, 4 MiB bodies, 20 s mask waits, no model view, no rollback, no bundle
   *     version, no Orthanc
   */
  public static ViewerConfig defaults(final String bootstrapServers) {
    return new ViewerConfig(
        bootstrapServers,
        DEFAULT_HOST,
        DEFAULT_PORT,
        DEFAULT_MAX_BODY_BYTES,
        Duration.ofSeconds(20),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        OrthancServers.none());
  }

  /** A copy listening on {@code newHost}:{@code newPort}. */
  public ViewerConfig withAddress(final String newHost, final int newPort) {
    return new ViewerConfig(
        bootstrapServers,
        newHost,
        newPort,
        maxBodyBytes,
        maskWait,
        modelView,
        rollback,
        decoderBase,
        orthancs);
  }

  /** A copy with the model's view. */
  public ViewerConfig withModelView(final ModelView view) {
    return new ViewerConfig(
        bootstrapServers,
        host,
        port,
        maxBodyBytes,
        maskWait,
        Optional.of(view),
        rollback,
        decoderBase,
        orthancs);
  }

  /** A copy that can roll decoder weights back. */
  public ViewerConfig withRollback(final WeightsRollback r) {
    return new ViewerConfig(
        bootstrapServers,
        host,
        port,
        maxBodyBytes,
        maskWait,
        modelView,
        Optional.of(r),
        decoderBase,
        orthancs);
  }

  /** A copy that shows {@code base} as the first decoder version. */
  public ViewerConfig withDecoderBase(final DecoderBase base) {
    return new ViewerConfig(
        bootstrapServers,
        host,
        port,
        maxBodyBytes,
        maskWait,
        modelView,
        rollback,
        Optional.of(base),
        orthancs);
  }

  /** A copy with another body limit. */
  public ViewerConfig withMaxBodyBytes(final int bytes) {
    return new ViewerConfig(
        bootstrapServers, host, port, bytes, maskWait, modelView, rollback, decoderBase, orthancs);
  }

  /** A copy that reads series from and stores SEGs into {@code servers}. */
  public ViewerConfig withOrthancs(final OrthancServers servers) {
    return new ViewerConfig(
        bootstrapServers,
        host,
        port,
        maxBodyBytes,
        maskWait,
        modelView,
        rollback,
        decoderBase,
        servers);
  }
}
