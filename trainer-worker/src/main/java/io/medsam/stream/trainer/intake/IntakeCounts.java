package io.medsam.stream.trainer.intake;

/** Running counts of the intake's decisions since start (replay included). */
public final class IntakeCounts {

  volatile long accepted;
  volatile long duplicates;
  volatile long rejected;
  volatile long replayedRejections;

  /** Corrections that became pairs. */
  public long accepted() {
    return accepted;
  }

  /** Corrections whose correctionId was already a pair. */
  public long duplicates() {
    return duplicates;
  }

  /** Corrections dead-lettered by this run. */
  public long rejected() {
    return rejected;
  }

  /** Corrections skipped on replay because an earlier run had dead-lettered them. */
  public long replayedRejections() {
    return replayedRejections;
  }

  @Override
  public String toString() {
    return "accepted="
        + accepted
        + " duplicates="
        + duplicates
        + " rejected="
        + rejected
        + " replayedRejections="
        + replayedRejections;
  }
}
