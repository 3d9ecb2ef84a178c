package io.medsam.stream.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.topology.testing.ManualClock;
import io.medsam.stream.trainer.train.TrainingSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The trigger on a real broker: a run starts by itself once N new pairs have arrived, no second run
 * starts without new pairs, and after a restart a few new pairs are trained once the waiting time
 * has passed. The trigger goes by a clock that the test moves; where nothing may happen, the test
 * waits until the trigger has looked (at the moved clock) and then checks that it did not fire.
 */
class TrainingTriggerTest {

  @RegisterExtension static final InProcessBroker broker = new InProcessBroker();

  /** Real time for the trigger (1 s period) to look a few times. */
  private static final Duration TICKS = Duration.ofSeconds(30);

  @Test
  void newPairsOrElapsedTimeStartExactlyOneRun() throws Exception {
    final TrainingSettings quick = new TrainingSettings(1e-3f, 5, 8, 4, 9L);
    final TrainerConfig d = TrainerConfig.defaults(broker.bootstrap(), SyntheticSlices.TOY_BUNDLE);
    final TrainerConfig byCount =
        new TrainerConfig(
            d.bootstrapServers(),
            d.bundleDir(),
            d.groupId(),
            0.4,
            d.embeddingTimeout(),
            d.maxPending(),
            16,
            Duration.ofDays(1),
            Duration.ofSeconds(1),
            2,
            16,
            quick);
    final ManualClock clock = new ManualClock();
    try (TrainerWorker worker = TrainerWorker.open(byCount, clock)) {
      worker.start();
      final TrainingScheduler trigger = worker.scheduler();
      assertThat(worker.intake().awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
      feed(0, 15);
      broker.awaitTakenIn(byCount.groupId(), Duration.ofSeconds(60));
      assertThat(trigger.awaitTicks(2, TICKS)).isTrue(); // a whole tick saw the 15 pairs arrive
      clock.advance(Duration.ofSeconds(2)); // quiet for longer than the quiet period
      assertThat(trigger.awaitTicks(2, TICKS)).isTrue();
      assertThat(trigger.results()).as("15 of 16 pairs").isEmpty();
      feed(15, 16);
      broker.awaitTakenIn(byCount.groupId(), Duration.ofSeconds(60));
      assertThat(trigger.awaitTicks(2, TICKS)).isTrue();
      assertThat(trigger.results()).as("not quiet yet").isEmpty();
      clock.advance(Duration.ofSeconds(2));
      InProcessBroker.await(Duration.ofSeconds(90), () -> trigger.results().size() == 1);
      final FineTuneCycle.Result first = trigger.results().get(0);
      assertThat(first.totalPairs()).isEqualTo(16);
      assertThat(first.decision()).isNotEqualTo(FineTuneCycle.Decision.SKIPPED);
      clock.advance(Duration.ofSeconds(2));
      assertThat(trigger.awaitTicks(2, TICKS)).isTrue();
      assertThat(trigger.results()).as("no new pairs").hasSize(1);
    }
    feed(16, 18); // while no trainer runs
    final TrainerConfig byTime = byCount.withTrigger(1_000, Duration.ofSeconds(2));
    try (TrainerWorker restarted = TrainerWorker.open(byTime, clock)) {
      restarted.start();
      final TrainingScheduler trigger = restarted.scheduler();
      assertThat(restarted.intake().awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
      assertThat(trigger.awaitTicks(2, TICKS)).isTrue();
      assertThat(trigger.results()).as("2 of 1000 pairs, the longest wait not over").isEmpty();
      clock.advance(Duration.ofSeconds(2));
      InProcessBroker.await(Duration.ofSeconds(90), () -> trigger.results().size() == 1);
      assertThat(restarted.pairs().size()).isEqualTo(18);
      final FineTuneCycle.Result second = trigger.results().get(0);
      assertThat(second.totalPairs()).isEqualTo(18);
      clock.advance(Duration.ofSeconds(4));
      assertThat(trigger.awaitTicks(2, TICKS)).isTrue();
      assertThat(trigger.results()).as("no new pairs").hasSize(1);
    }
  }

  private static void feed(final int from, final int to) throws Exception {
    for (int i = from; i < to; i++) {
      final String key = SyntheticSlices.key("trigger", i);
      broker.sendEmbedding(SyntheticSlices.embedding(key));
      broker.sendCorrection(SyntheticSlices.correction("t-" + i, key, SyntheticSlices.mask(key)));
    }
  }
}
