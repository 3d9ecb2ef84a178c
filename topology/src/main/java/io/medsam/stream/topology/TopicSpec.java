package io.medsam.stream.topology;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Everything that must be true of one topic.
 *
 * @param name topic name
 * @param partitions partition count
 * @param replicationFactor replicas
 * @param cleanupPolicy delete or compact
 * @param maxMessageBytes {@code max.message.bytes}: the largest record batch the topic accepts
 * @param compressionType {@code compression.type} of the topic, e.g. zstd
 * @param retention {@code retention.ms} for delete topics; empty for compacted topics; a negative
 *     duration ({@link #FOREVER}) keeps records forever, whatever their age or total size ({@code
 *     retention.ms} and {@code retention.bytes} both -1)
 * @param key what the record key is
 * @param valueType the record value, the simple name of an Avro record in io.medsam.stream.avro
 */
public record TopicSpec(
    String name,
    int partitions,
    int replicationFactor,
    CleanupPolicy cleanupPolicy,
    int maxMessageBytes,
    String compressionType,
    Optional<Duration> retention,
    String key,
    String valueType) {

  /**
   * A retention that keeps records forever: {@code retention.ms = -1}, and {@code retention.bytes =
   * -1} so that no broker-wide size limit deletes them either.
   */
  public static final Duration FOREVER = Duration.ofMillis(-1);

  /** Validates the spec. */
  public TopicSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(cleanupPolicy, "cleanupPolicy");
    Objects.requireNonNull(compressionType, "compressionType");
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(valueType, "valueType");
    if (partitions < 1 || replicationFactor < 1 || maxMessageBytes < 1) {
      throw new IllegalArgumentException("Invalid counts or sizes for topic " + name);
    }
    if (cleanupPolicy == CleanupPolicy.COMPACT && retention.isPresent()) {
      throw new IllegalArgumentException("Compacted topic " + name + " takes no retention time");
    }
  }

  /** True when the topic keeps every record forever (delete policy, {@link #FOREVER}). */
  public boolean keptForever() {
    return retention.map(Duration::isNegative).orElse(false);
  }

  /** The topic-level configs this spec sets. */
  public Map<String, String> configs() {
    final Map<String, String> configs = new LinkedHashMap<>();
    configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy.configValue());
    configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(maxMessageBytes));
    configs.put(TopicConfig.COMPRESSION_TYPE_CONFIG, compressionType);
    retention.ifPresent(
        r -> {
          configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(r.toMillis()));
          if (r.isNegative()) {
            configs.put(TopicConfig.RETENTION_BYTES_CONFIG, "-1");
          }
        });
    return Collections.unmodifiableMap(configs);
  }

  /** The admin request that creates this topic. */
  public NewTopic toNewTopic() {
    return new NewTopic(name, partitions, (short) replicationFactor).configs(configs());
  }
}
