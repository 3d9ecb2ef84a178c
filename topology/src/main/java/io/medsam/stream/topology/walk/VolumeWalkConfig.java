package io.medsam.stream.topology.walk;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the walk topology.
 *
 * @param finishedRetention how long a finished walk's identity is kept, so that a duplicate
 *     VolumePrompt (same series and prompt id) is not walked again
 * @param purgeInterval how often finished walks older than that are removed (wall clock)
 */
public record VolumeWalkConfig(Duration finishedRetention, Duration purgeInterval) {

  /** Validates the settings. */
  public VolumeWalkConfig {
    Objects.requireNonNull(finishedRetention, "finishedRetention");
    Objects.requireNonNull(purgeInterval, "purgeInterval");
    if (finishedRetention.isNegative() || purgeInterval.isNegative() || purgeInterval.isZero()) {
      throw new IllegalArgumentException(
          "finishedRetention must be >= 0 and purgeInterval > 0, were "
              + finishedRetention
              + " and "
              + purgeInterval);
    }
  }

  /** Finished walks remembered for 7 days (the retention of medsam.volume-prompts.v1). */
  public static VolumeWalkConfig defaults() {
    return new VolumeWalkConfig(Duration.ofDays(7), Duration.ofMinutes(1));
  }
}
