package io.medsam.stream.topology;

import org.apache.kafka.common.config.TopicConfig;

/** A topic's {@code cleanup.policy}. */
public enum CleanupPolicy {
  /** Old segments are deleted after the retention time. */
  DELETE(TopicConfig.CLEANUP_POLICY_DELETE),
  /** Only the latest record per key is kept (a table of the latest value). */
  COMPACT(TopicConfig.CLEANUP_POLICY_COMPACT);

  private final String configValue;

  CleanupPolicy(final String configValue) {
    this.configValue = configValue;
  }

  /** The value of the {@code cleanup.policy} topic config. */
  public String configValue() {
    return configValue;
  }
}
