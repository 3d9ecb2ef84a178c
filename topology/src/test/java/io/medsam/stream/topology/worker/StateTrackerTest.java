package io.medsam.stream.topology.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.topology.testing.ManualClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class StateTrackerTest {

  private final ManualClock clock = new ManualClock();
  private final StateTracker tracker = new StateTracker(clock);

  @Test
  void goesThroughTheLifeOfAWorker() {
    assertThat(tracker.state()).isEqualTo(WorkerState.CREATED);
    assertThat(tracker.running()).as("not started").isFalse();
    assertThat(tracker.starting()).isTrue();
    assertThat(tracker.starting()).as("starts once").isFalse();
    assertThat(tracker.running()).isTrue();
    assertThat(tracker.stopping()).isEqualTo(WorkerState.RUNNING);
    assertThat(tracker.stopping()).isEqualTo(WorkerState.STOPPING);
    tracker.stopped();
    assertThat(tracker.state()).isEqualTo(WorkerState.STOPPED);
    assertThat(tracker.fail(new IllegalStateException("late"))).isFalse();
    assertThat(tracker.failure()).isEmpty();
  }

  @Test
  void aFailureIsKeptAndWinsOverALaterStop() {
    final IllegalStateException cause = new IllegalStateException("dead loop");
    tracker.starting();
    assertThat(tracker.fail(cause)).isTrue();
    tracker.stopping();
    tracker.stopped();

    assertThat(tracker.state()).isEqualTo(WorkerState.FAILED);
    assertThat(tracker.failure()).containsSame(cause);
  }

  @Test
  void awaitRunningIsFalseWhenTheWorkerFailsFirst() throws Exception {
    tracker.starting();
    tracker.fail(new IllegalStateException("no broker"));

    assertThat(tracker.awaitRunning(Duration.ofDays(1))).isFalse();
  }

  @Test
  void aWaitEndsWhenTheClockPassesItsDeadline() throws Exception {
    final AtomicBoolean result = new AtomicBoolean(true);
    final Thread waiter =
        new Thread(
            () -> {
              try {
                result.set(tracker.awaitStopped(Duration.ofMinutes(5)));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    waiter.start();
    while (waiter.getState() != Thread.State.TIMED_WAITING) {
      Thread.onSpinWait(); // waiting, its deadline taken from the clock
    }

    clock.advance(Duration.ofMinutes(4));
    assertThat(waiter.isAlive()).as("deadline not reached on the clock").isTrue();
    clock.advance(Duration.ofMinutes(1));
    waiter.join(5_000);

    assertThat(waiter.isAlive()).isFalse();
    assertThat(result).isFalse();
  }

  @Test
  void aWaitEndsOnTheChange() throws Exception {
    final Thread stopper =
        new Thread(
            () -> {
              tracker.stopping();
              tracker.stopped();
            });
    stopper.start();

    assertThat(tracker.awaitStopped(Duration.ofDays(1))).isTrue();
  }
}
