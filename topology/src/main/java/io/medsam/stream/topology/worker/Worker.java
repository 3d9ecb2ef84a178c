package io.medsam.stream.topology.worker;

import java.time.Duration;
import java.util.Optional;

/**
 * A pipeline worker (ingest, encoder, decoder, trainer, and roles to come): built with what it
 * needs, then {@link #start() started} once and {@link #close() closed} once, from any thread. Its
 * {@link #state()} shows whether it works; a worker whose work dies shows {@link
 * WorkerState#FAILED} with the cause, never a silent stop. Waits are measured on the worker's
 * clock.
 */
public interface Worker extends AutoCloseable {

  /**
   * @return the worker in log lines and thread names, e.g. its transactional id
   */
  String name();

  /**
   * Starts the work on the worker's own threads and returns; {@link WorkerState#RUNNING} follows
   * once it processes records.
   *
   * @throws IllegalStateException when it was started or closed before
   */
  void start();

  /**
   * @return the worker's state, failure and waits (its {@link StateTracker})
   */
  WorkerStatus status();

  /**
   * @return the state now
   */
  default WorkerState state() {
    return status().state();
  }

  /**
   * @return the error that stopped the work, present exactly when the state is {@link
   *     WorkerState#FAILED}
   */
  default Optional<Throwable> failure() {
    return status().failure();
  }

  /**
   * Waits until the worker processes records (see {@link WorkerStatus#awaitRunning}).
   *
   * @param timeout the longest wait
   * @return true when RUNNING; false when the time ran out or it stopped or failed first
   * @throws InterruptedException when interrupted while waiting
   */
  default boolean awaitRunning(final Duration timeout) throws InterruptedException {
    return status().awaitRunning(timeout);
  }

  /**
   * Waits until the work has ended, normally or not.
   *
   * @param timeout the longest wait
   * @return true when STOPPED or FAILED
   * @throws InterruptedException when interrupted while waiting
   */
  default boolean awaitStopped(final Duration timeout) throws InterruptedException {
    return status().awaitStopped(timeout);
  }

  /**
   * Stops the work after what it has in hand (a transaction is committed or aborted, not left open)
   * and releases the worker's clients and sessions. Idempotent: a second call waits like the first;
   * a failed worker keeps its FAILED state.
   */
  @Override
  void close();
}
