package io.medsam.stream.app.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets a long-running command end cleanly on SIGTERM or Ctrl-C: a JVM shutdown hook requests the
 * stop and then waits (up to a grace period) until the command has closed its resources and closed
 * this signal.
 *
 * <pre>{@code
 * try (StopSignal stop = StopSignal.onShutdown(Duration.ofSeconds(30))) {
 *   ... start ...;
 *   stop.await();
 *   ... close what was started ...;
 * }
 * }</pre>
 */
public final class StopSignal implements AutoCloseable {
  private final CountDownLatch requested = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread hook;

  private StopSignal(final Duration grace) {
    this.hook =
        new Thread(
            () -> {
              requested.countDown();
              try {
                finished.await(grace.toMillis(), TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "medsam-shutdown");
  }

  /**
   * @param grace how long JVM shutdown waits for the command to finish closing
   * @return a signal whose shutdown hook is registered
   */
  public static StopSignal onShutdown(final Duration grace) {
    final StopSignal signal = new StopSignal(grace);
    Runtime.getRuntime().addShutdownHook(signal.hook);
    return signal;
  }

  /** Requests the stop without a signal (tests, or a command that decides to end). */
  public void request() {
    requested.countDown();
  }

  /**
   * @return whether a stop has been requested
   */
  public boolean isRequested() {
    return requested.getCount() == 0;
  }

  /**
   * Blocks until a stop is requested.
   *
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public void await() throws InterruptedException {
    requested.await();
  }

  /** Tells the shutdown hook that the command has finished closing, and unregisters it. */
  @Override
  public void close() {
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shutdownInProgress) {
      // the hook is running and now returns
    }
  }
}
