package io.medsam.stream.topology.walk;

/** Why a VolumePrompt was not walked (invalid, or its middle slice unknown); its dead letter. */
public final class WalkRejectedException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * @param reason names the prompt and the problem
   */
  public WalkRejectedException(final String reason) {
    super(reason);
  }
}
