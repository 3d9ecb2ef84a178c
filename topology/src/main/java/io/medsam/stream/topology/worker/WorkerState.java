package io.medsam.stream.topology.worker;

/**
 * Where a {@link Worker} is in its life: {@code CREATED -> STARTING -> RUNNING -> STOPPING ->
 * STOPPED}, or {@code FAILED} from any state once its work stopped on an error. A worker closed
 * before it ran goes from CREATED (through STOPPING) straight to STOPPED.
 */
public enum WorkerState {
  /** Built, holding its clients and sessions, not started. */
  CREATED,
  /** Started; not yet processing (initialising transactions, joining its group). */
  STARTING,
  /** Processing records. */
  RUNNING,
  /** Asked to close: finishing the work in hand, then releasing its resources. */
  STOPPING,
  /** Closed normally. */
  STOPPED,
  /** Its work stopped on an error, see {@link Worker#failure()}. */
  FAILED;

  /** Whether the worker does no more work in this state: STOPPED or FAILED. */
  public boolean isTerminal() {
    return this == STOPPED || this == FAILED;
  }
}
