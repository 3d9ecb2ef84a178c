package io.medsam.stream.topology.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The {@link WorkerState} of one worker and the cause of its failure, changed and read from any
 * thread. Waits end on a change or at a deadline on the given {@link Clock}: a waiter looks at the
 * clock again at least every {@value #RECHECK_MILLIS} ms, so a test that moves its clock past the
 * deadline ends the wait without sleeping.
 */
public final class StateTracker implements WorkerStatus {

  /** How often a waiter looks at the clock again while nothing changes. */
  static final long RECHECK_MILLIS = 10;

  private final Clock clock;
  private WorkerState state = WorkerState.CREATED;
  private Throwable failure;

  /**
   * @param clock what waits are measured on
   */
  public StateTracker(final Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * @return the state now
   */
  @Override
  public synchronized WorkerState state() {
    return state;
  }

  /**
   * @return the cause of the failure, present exactly when FAILED
   */
  @Override
  public synchronized Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  /**
   * CREATED to STARTING.
   *
   * @return false when the worker was started or closed before
   */
  public synchronized boolean starting() {
    return move(WorkerState.CREATED, WorkerState.STARTING);
  }

  /**
   * STARTING to RUNNING.
   *
   * @return false in any other state (already running, closing, ended)
   */
  public synchronized boolean running() {
    return move(WorkerState.STARTING, WorkerState.RUNNING);
  }

  /**
   * To STOPPING from CREATED, STARTING or RUNNING.
   *
   * @return the state before the call (unchanged when it was STOPPING or terminal)
   */
  public synchronized WorkerState stopping() {
    final WorkerState before = state;
    if (before.compareTo(WorkerState.STOPPING) < 0) {
      set(WorkerState.STOPPING);
    }
    return before;
  }

  /** To STOPPED, unless already terminal (a FAILED worker stays FAILED). */
  public synchronized void stopped() {
    if (!state.isTerminal()) {
      set(WorkerState.STOPPED);
    }
  }

  /**
   * To FAILED with {@code cause}, unless already terminal: the first end wins.
   *
   * @return whether this call recorded the failure
   */
  public synchronized boolean fail(final Throwable cause) {
    Objects.requireNonNull(cause, "cause");
    if (state.isTerminal()) {
      return false;
    }
    failure = cause;
    set(WorkerState.FAILED);
    return true;
  }

  /**
   * Waits until the state satisfies {@code until}.
   *
   * @param until the states to wait for
   * @param timeout the longest wait, on the clock
   * @return whether the state satisfies it
   * @throws InterruptedException when interrupted while waiting
   */
  public boolean await(final Predicate<WorkerState> until, final Duration timeout)
      throws InterruptedException {
    final Instant deadline = clock.instant().plus(timeout);
    synchronized (this) {
      while (!until.test(state)) {
        final long left = Duration.between(clock.instant(), deadline).toNanos();
        if (left <= 0) {
          return false;
        }
        wait(Math.max(1, Math.min(RECHECK_MILLIS, left / 1_000_000)));
      }
      return true;
    }
  }

  /** Waits for RUNNING; false at the deadline or when the worker ended first. */
  @Override
  public boolean awaitRunning(final Duration timeout) throws InterruptedException {
    return await(s -> s.compareTo(WorkerState.RUNNING) >= 0, timeout)
        && state() == WorkerState.RUNNING;
  }

  /** Waits for STOPPED or FAILED. */
  @Override
  public boolean awaitStopped(final Duration timeout) throws InterruptedException {
    return await(WorkerState::isTerminal, timeout);
  }

  private boolean move(final WorkerState from, final WorkerState to) {
    if (state != from) {
      return false;
    }
    set(to);
    return true;
  }

  private void set(final WorkerState next) {
    state = next;
    notifyAll();
  }
}
