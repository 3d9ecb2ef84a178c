package io.medsam.stream.imaging.preprocess;

/** A box prompt that cannot be used on its image; the message names the record and problem. */
public final class InvalidBoxException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String record;
  private final String problem;

  /**
   * @param record the prompt (id, slice key) the box came from
   * @param box the offending box
   * @param problem what is wrong, e.g. "has zero area"
   */
  public InvalidBoxException(final String record, final PixelBox box, final String problem) {
    super(record + ": box " + box + " " + problem);
    this.record = record;
    this.problem = problem;
  }

  /** The prompt the box came from. */
  public String record() {
    return record;
  }

  /** What is wrong with the box. */
  public String problem() {
    return problem;
  }
}
