package io.medsam.stream.app.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the workers of a {@link PipelineWorkers}: a worker whose work ended (FAILED, or STOPPED
 * unasked) is replaced by a new one after a backoff that doubles with each restart; when a role has
 * used up its restarts and ends again, the supervisor gives up and says so once, and the command
 * ends the process with a non-zero exit. No worker is left dead while the process looks alive.
 */
public final class WorkerSupervisor implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerSupervisor.class);

  /**
   * How hard the supervisor tries.
   *
   * @param maxRestarts restarts of one role before giving up
   * @param firstBackoff wait before the first restart; each further one waits twice as long
   * @param maxBackoff the longest wait before a restart
   * @param checkEvery how often the workers' states are read
   */
  public record Policy(
      int maxRestarts, Duration firstBackoff, Duration maxBackoff, Duration checkEvery) {

    /** Three restarts after 2, 4 and 8 s; states read twice a second. */
    public static Policy defaults() {
      return new Policy(3, Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofMillis(500));
    }

    /** The wait before restart number {@code n + 1}. */
    Duration backoff(final int n) {
      final Duration d = firstBackoff.multipliedBy(1L << Math.min(n, 20));
      return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }
  }

  private final PipelineWorkers workers;
  private final Policy policy;
  private final Clock clock;
  private final Consumer<String> giveUp;
  private final Thread thread;
  private volatile boolean stopped;
  private volatile String gaveUp;

  private WorkerSupervisor(
      final PipelineWorkers workers,
      final Policy policy,
      final Clock clock,
      final Consumer<String> giveUp) {
    this.workers = workers;
    this.policy = policy;
    this.clock = clock;
    this.giveUp = giveUp;
    this.thread = new Thread(this::watch, "medsam-supervisor");
    this.thread.setDaemon(true);
  }

  /**
   * Starts watching.
   *
   * @param workers the workers to keep running
   * @param policy restarts and backoff
   * @param clock measures the backoff
   * @param giveUp told once, with the reason, when a role cannot be kept running
   * @return the running supervisor; close it before closing the workers
   */
  public static WorkerSupervisor start(
      final PipelineWorkers workers,
      final Policy policy,
      final Clock clock,
      final Consumer<String> giveUp) {
    final WorkerSupervisor supervisor = new WorkerSupervisor(workers, policy, clock, giveUp);
    supervisor.thread.start();
    return supervisor;
  }

  /**
   * @return why the supervisor gave up, once it has
   */
  public Optional<String> gaveUp() {
    return Optional.ofNullable(gaveUp);
  }

  private void watch() {
    try {
      while (!stopped && gaveUp == null) {
        Thread.sleep(policy.checkEvery().toMillis());
        final Optional<Role> ended = workers.ended();
        if (ended.isPresent()) {
          recover(ended.get());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void recover(final Role role) throws InterruptedException {
    final int done = workers.restarts(role);
    final String what = role.cliName() + " worker " + workers.readiness().get(role.cliName());
    if (done >= policy.maxRestarts()) {
      gaveUp = what + " ended after " + done + " restarts; giving up";
      LOG.error(gaveUp);
      giveUp.accept(gaveUp);
      return;
    }
    final Duration backoff = policy.backoff(done);
    LOG.warn("{} ended; restarting in {} s", what, backoff.toSeconds());
    final Instant until = clock.instant().plus(backoff);
    while (!stopped && clock.instant().isBefore(until)) {
      Thread.sleep(Math.min(policy.checkEvery().toMillis(), backoff.toMillis()));
    }
    if (stopped) {
      return;
    }
    try {
      workers.restart(role);
    } catch (WorkerStartException | RuntimeException e) {
      LOG.warn("restarting {} failed: {}", role.cliName(), e.toString());
    }
  }

  /** Stops watching (the workers stay as they are); waits for a restart in progress. */
  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
    try {
      thread.join(Duration.ofSeconds(30).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
