package io.medsam.stream.trainer;

import io.medsam.stream.trainer.intake.PairStore;
import io.medsam.stream.trainer.publish.WeightsPublicationException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a training run when {@code minNewPairs} new pairs have arrived and none has arrived for
 * {@code quietPeriod} (a clinician's burst of corrections is trained on as one set, not cut at the
 * N-th pair), or when {@code maxWait} has passed since the last run and at least one new pair is
 * there (so a steady trickle is trained on too). Runs go through one thread, so there is never more
 * than one at a time.
 */
public final class TrainingScheduler implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TrainingScheduler.class);

  private final PairStore store;
  private final FineTuneCycle cycle;
  private final int minNewPairs;
  private final Duration maxWait;
  private final Duration quietPeriod;
  private final BooleanSupplier ready;
  private final Clock clock;
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "trainer-trigger"));
  private final ExecutorService runner =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "trainer-run"));
  private final List<FineTuneCycle.Result> results = new CopyOnWriteArrayList<>();
  private volatile int pairsAtLastRun;
  private volatile Instant lastRun;
  private volatile boolean running;
  private volatile boolean rerun;
  private volatile Instant lastRunStarted;
  private volatile Instant lastRunFinished;
  private int sizeAtLastTick = -1;
  private Instant lastArrival;
  private long ticks;

  /**
   * @param quietPeriod how long no pair may have arrived before the count trigger fires
   * @param pairsAlreadyTrained pairs behind the weights in force (from the weights topic)
   * @param ready false while the intake is still replaying
   */
  public TrainingScheduler(
      final PairStore store,
      final FineTuneCycle cycle,
      final int minNewPairs,
      final Duration maxWait,
      final Duration quietPeriod,
      final int pairsAlreadyTrained,
      final BooleanSupplier ready,
      final Clock clock) {
    this.store = store;
    this.cycle = cycle;
    this.minNewPairs = minNewPairs;
    this.maxWait = maxWait;
    this.quietPeriod = quietPeriod;
    this.ready = ready;
    this.clock = clock;
    this.pairsAtLastRun = pairsAlreadyTrained;
    this.lastRun = clock.instant();
    this.lastArrival = lastRun;
  }

  /** Checks the trigger every {@code period}. */
  public void start(final Duration period) {
    ticker.scheduleWithFixedDelay(
        this::tick, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Queues a run now, whatever the trigger says. */
  public Future<FineTuneCycle.Result> runNow() {
    return runner.submit(this::runOnce);
  }

  /** Results of every run so far, oldest first. */
  public List<FineTuneCycle.Result> results() {
    return List.copyOf(results);
  }

  /**
   * Waits until the trigger has looked {@code count} more times (at the clock's time then): a test
   * that moved the clock waits for this instead of sleeping.
   *
   * @return false when {@code timeout} (real time) passed first
   */
  public boolean awaitTicks(final int count, final Duration timeout) throws InterruptedException {
    final long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      final long target = ticks + count;
      while (ticks < target) {
        final long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return true;
    }
  }

  private void tick() {
    try {
      check();
    } catch (RuntimeException e) {
      // thrown out of a fixed-delay task, it would end the trigger silently
      LOG.error("training trigger failed; it checks again at the next tick", e);
    } finally {
      synchronized (this) {
        ticks++;
        notifyAll();
      }
    }
  }

  private void check() {
    final Instant now = clock.instant();
    final int size = store.size();
    if (size != sizeAtLastTick) {
      sizeAtLastTick = size;
      lastArrival = now;
    }
    if (running || !ready.getAsBoolean()) {
      return;
    }
    final int fresh = size - pairsAtLastRun;
    final boolean settled = !now.isBefore(lastArrival.plus(quietPeriod));
    final boolean due = fresh > 0 && !now.isBefore(lastRun.plus(maxWait));
    if (rerun || (fresh >= minNewPairs && settled) || due) {
      LOG.info(
          "training triggered: {} new pairs, {} since the last run",
          fresh,
          Duration.between(lastRun, now));
      running = true;
      runner.submit(this::runOnce);
    }
  }

  private FineTuneCycle.Result runOnce() throws WeightsPublicationException {
    running = true;
    try {
      final var pairs = store.snapshot();
      pairsAtLastRun = pairs.size();
      lastRun = clock.instant();
      lastRunStarted = lastRun;
      rerun = false;
      final FineTuneCycle.Result result = cycle.run(pairs);
      results.add(result);
      // a candidate discarded because a rollback came into force: train again from it
      rerun = result.decision() == FineTuneCycle.Decision.SUPERSEDED;
      return result;
    } catch (RuntimeException | WeightsPublicationException e) {
      LOG.error("training run failed", e);
      throw e;
    } finally {
      lastRunFinished = clock.instant();
      running = false;
    }
  }

  /** Whether a run is in progress. */
  public boolean running() {
    return running;
  }

  /** Pairs behind the last run (or behind the weights in force at start). */
  public int pairsAtLastRun() {
    return pairsAtLastRun;
  }

  /** When the last run of this scheduler started; null before the first. */
  public Instant lastRunStarted() {
    return lastRunStarted;
  }

  /** When the last run of this scheduler ended (also when it failed); null before the first. */
  public Instant lastRunFinished() {
    return lastRunFinished;
  }

  /** New pairs that start a run (after the quiet period). */
  public int minNewPairs() {
    return minNewPairs;
  }

  @Override
  public void close() throws InterruptedException {
    ticker.shutdownNow();
    runner.shutdown();
    if (!runner.awaitTermination(5, TimeUnit.MINUTES)) {
      runner.shutdownNow();
    }
  }
}
