package io.medsam.stream.topology;

/**
 * How widely topics are spread: the partition count shared by prompts, embeddings, masks and
 * corrections (so that joining them needs no repartitioning) and the replication factor.
 *
 * @param partitions partitions of every keyed data topic, at least 1
 * @param replicationFactor replicas of every topic, at least 1
 */
public record TopicLayout(int partitions, int replicationFactor) {

  /** Three partitions, one replica: the embedded single-node broker. */
  public static final TopicLayout DEFAULT = new TopicLayout(3, 1);

  /** Validates the counts. */
  public TopicLayout {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
    }
    if (replicationFactor < 1 || replicationFactor > Short.MAX_VALUE) {
      throw new IllegalArgumentException(
          "replicationFactor must be between 1 and "
              + Short.MAX_VALUE
              + ", was "
              + replicationFactor);
    }
  }
}
