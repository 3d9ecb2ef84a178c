package io.medsam.stream.app.broker;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where and how the embedded broker runs.
 *
 * @param dataDir storage directory (log segments, KRaft metadata log, {@code meta.properties});
 *     formatted on first start, reused afterwards
 * @param port client listener port on localhost; 0 picks a free port
 * @param sharedPartitions partition count shared by prompts, embeddings, masks and corrections
 */
public record BrokerSettings(Path dataDir, int port, int sharedPartitions) {

  /** Kafka's conventional client port, the default of every {@code medsam} command. */
  public static final int DEFAULT_PORT = 9092;

  /** Partition count of the co-partitioned topics when nothing else is said. */
  public static final int DEFAULT_SHARED_PARTITIONS = 3;

  /** Validates the settings. */
  public BrokerSettings {
    Objects.requireNonNull(dataDir, "dataDir");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in 0..65535, got " + port);
    }
    if (sharedPartitions < 1) {
      throw new IllegalArgumentException("sharedPartitions must be >= 1, got " + sharedPartitions);
    }
  }

  /**
   * @param dataDir storage directory
   * @param port client port, 0 for a free one
   * @return settings with the default partition count
   */
  public static BrokerSettings of(final Path dataDir, final int port) {
    return new BrokerSettings(dataDir, port, DEFAULT_SHARED_PARTITIONS);
  }
}
