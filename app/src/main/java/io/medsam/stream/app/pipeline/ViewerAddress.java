package io.medsam.stream.app.pipeline;

import io.medsam.stream.viewer.ViewerConfig;

/**
 * Where the viewer role listens.
 *
 * @param host the address; loopback unless told otherwise
 * @param port the port; 0 picks a free one
 */
public record ViewerAddress(String host, int port) {

  /** {@code 127.0.0.1:8080}. */
  public static final ViewerAddress DEFAULT =
      new ViewerAddress(ViewerConfig.DEFAULT_HOST, ViewerConfig.DEFAULT_PORT);
}
