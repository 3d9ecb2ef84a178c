package io.medsam.stream.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The restart policy (the restarts themselves run in SupervisedRunProcessTest, a real process). */
class WorkerSupervisorTest {

  @Test
  void backoffDoublesFromTheFirstWaitUpToTheLongest() {
    final WorkerSupervisor.Policy policy =
        new WorkerSupervisor.Policy(
            5, Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofMillis(100));
    assertThat(policy.backoff(0)).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.backoff(1)).isEqualTo(Duration.ofSeconds(4));
    assertThat(policy.backoff(2)).isEqualTo(Duration.ofSeconds(8));
    assertThat(policy.backoff(3)).isEqualTo(Duration.ofSeconds(10));
    assertThat(policy.backoff(60)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void theDefaultsGiveUpAfterThreeRestartsWithinAMinute() {
    final WorkerSupervisor.Policy policy = WorkerSupervisor.Policy.defaults();
    assertThat(policy.maxRestarts()).isEqualTo(3);
    Duration total = Duration.ZERO;
    for (int n = 0; n < policy.maxRestarts(); n++) {
      total = total.plus(policy.backoff(n));
    }
    assertThat(total).isEqualTo(Duration.ofSeconds(14)).isLessThan(Duration.ofMinutes(1));
  }
}
