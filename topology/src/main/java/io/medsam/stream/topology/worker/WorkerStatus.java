package io.medsam.stream.topology.worker;

import java.time.Duration;
import java.util.Optional;

/**
 * What a worker reports about its life: its state, the failure that ended it, and waits for RUNNING
 * or for the end. {@link StateTracker} is the one implementation; a {@link Worker} hands out its
 * tracker's view through {@link Worker#status()}.
 */
public interface WorkerStatus {

  /**
   * @return the state now
   */
  WorkerState state();

  /**
   * @return the error that stopped the work, present exactly when the state is {@link
   *     WorkerState#FAILED}
   */
  Optional<Throwable> failure();

  /**
   * Waits until the worker processes records.
   *
   * @param timeout the longest wait
   * @return true when RUNNING; false when the time ran out or it stopped or failed first
   * @throws InterruptedException when interrupted while waiting
   */
  boolean awaitRunning(Duration timeout) throws InterruptedException;

  /**
   * Waits until the work has ended, normally or not.
   *
   * @param timeout the longest wait
   * @return true when STOPPED or FAILED
   * @throws InterruptedException when interrupted while waiting
   */
  boolean awaitStopped(Duration timeout) throws InterruptedException;
}
