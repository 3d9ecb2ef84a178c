package io.medsam.stream.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.trainer.train.TrainingSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The trigger on a real broker: a run starts by itself once N new pairs have arrived, no second run
 * starts without new pairs, and after a restart a few new pairs are trained once the waiting time
 * has passed.
 */
class TrainingTriggerTest {

  @RegisterExtension static final InProcessBroker broker = new InProcessBroker();

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
    try (TrainerWorker worker = TrainerWorker.open(byCount)) {
      worker.start();
      assertThat(worker.intake().awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
      feed(0, 15);
      broker.awaitTakenIn(byCount.groupId(), Duration.ofSeconds(60));
      Thread.sleep(2_500);
      assertThat(worker.scheduler().results()).isEmpty();
      feed(15, 16);
      broker.awaitTakenIn(byCount.groupId(), Duration.ofSeconds(60));
      InProcessBroker.await(Duration.ofSeconds(90), () -> worker.scheduler().results().size() == 1);
      final FineTuneCycle.Result first = worker.scheduler().results().get(0);
      assertThat(first.trainPairs() + first.holdoutPairs()).isEqualTo(16);
      assertThat(first.decision()).isNotEqualTo(FineTuneCycle.Decision.SKIPPED);
      Thread.sleep(2_500);
      assertThat(worker.scheduler().results()).hasSize(1);
    }
    feed(16, 18); // while no trainer runs
    final TrainerConfig byTime = byCount.withTrigger(1_000, Duration.ofSeconds(2));
    try (TrainerWorker restarted = TrainerWorker.open(byTime)) {
      restarted.start();
      InProcessBroker.await(
          Duration.ofSeconds(90), () -> restarted.scheduler().results().size() == 1);
      assertThat(restarted.pairs().size()).isEqualTo(18);
      final FineTuneCycle.Result second = restarted.scheduler().results().get(0);
      assertThat(second.trainPairs() + second.holdoutPairs()).isEqualTo(18);
      Thread.sleep(4_000);
      assertThat(restarted.scheduler().results()).hasSize(1);
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
