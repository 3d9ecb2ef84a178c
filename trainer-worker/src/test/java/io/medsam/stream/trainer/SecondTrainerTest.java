package io.medsam.stream.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medsam.stream.trainer.publish.TrainerLeaseException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two trainers of one decoder model on a real broker: the second is refused at open with a clear
 * error while the first runs (without it, both would replay every correction, train on the same
 * pairs and publish two versions from one parent, one after the other, under the shared
 * transactional id); once the first has closed, a trainer starts again.
 */
class SecondTrainerTest {

  @RegisterExtension static final InProcessBroker broker = new InProcessBroker();

  @Test
  void aSecondTrainerOfTheSameModelIsRefusedAtStart() throws Exception {
    final TrainerConfig config =
        TrainerConfig.defaults(broker.bootstrap(), SyntheticSlices.TOY_BUNDLE);
    try (TrainerWorker first = TrainerWorker.open(config)) {
      first.start();
      assertThat(first.awaitRunning(Duration.ofSeconds(60))).isTrue();
      final long started = System.nanoTime();
      assertThatThrownBy(() -> TrainerWorker.open(config.withHoldoutFraction(0.3)))
          .isInstanceOf(TrainerLeaseException.class)
          .hasMessageContaining("another trainer of decoder model")
          .hasMessageContaining("one trainer per model");
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .as("it waited for a dead trainer's lease to end before refusing")
          .isGreaterThanOrEqualTo(TrainerWorker.LEASE_WAIT);
      assertThat(first.state()).isEqualTo(io.medsam.stream.topology.worker.WorkerState.RUNNING);
    }
    try (TrainerWorker again = TrainerWorker.open(config)) {
      again.start();
      assertThat(again.awaitRunning(Duration.ofSeconds(60))).isTrue();
    }
  }
}
