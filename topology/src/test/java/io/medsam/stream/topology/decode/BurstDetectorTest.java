package io.medsam.stream.topology.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BurstDetectorTest {

  private final BurstDetector bursts =
      new BurstDetector(Duration.ofMillis(2), Duration.ofMillis(100));

  @Test
  void firstPromptAndPromptsFarApartAreLone() {
    assertThat(bursts.next(1_000, 1_000)).isTrue();
    assertThat(bursts.next(1_002, 1_002)).as("exactly the burst gap later").isTrue();
    assertThat(bursts.next(5_000, 5_010)).isTrue();
  }

  @Test
  void promptsCloserThanTheGapAreABurst() {
    assertThat(bursts.next(1_000, 1_000)).isTrue();
    assertThat(bursts.next(1_001, 1_001)).isFalse();
    assertThat(bursts.next(1_002, 1_002)).as("1 ms after the previous one").isFalse();
  }

  @Test
  void promptsProcessedLongAfterTheyWereSentAreABacklog() {
    assertThat(bursts.next(1_000, 1_100)).as("exactly the backlog age").isFalse();
    assertThat(bursts.next(2_000, 2_099)).isTrue();
    assertThat(bursts.next(3_000, 2_000)).as("sender's clock ahead").isTrue();
  }
}
