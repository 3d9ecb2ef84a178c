package io.medsam.stream.topology;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Client configurations sized for {@link Topics#LARGEST_MESSAGE_BYTES}, with zstd compression. Keys
 * are strings and values single-object-encoded Avro bytes ({@code byte[]}), so that a record that
 * does not decode can still be dead-lettered as received. Every method returns a new unmodifiable
 * map; copy it to add settings.
 *
 * <p>Every map also carries this process's {@link ConnectionProperties} (security protocol, SASL,
 * TLS), installed once at start by {@link #connectWith}: every producer, consumer, admin client and
 * Kafka Streams instance of every module is built here, so none can miss them.
 */
public final class ClientConfigs {

  /** {@code max.request.size} of producers and {@code fetch.max.bytes} of consumers. */
  public static final int MAX_REQUEST_BYTES = Topics.LARGEST_MESSAGE_BYTES;

  /** {@code buffer.memory} of producers: room for two of the largest records. */
  public static final long PRODUCER_BUFFER_BYTES = 2L * Topics.LARGEST_MESSAGE_BYTES;

  private static volatile ConnectionProperties connection = ConnectionProperties.NONE;

  private ClientConfigs() {}

  /**
   * Makes every configuration built from now on carry {@code properties}; a command calls this
   * once, before it creates its first client.
   *
   * @param properties how to reach the cluster ({@link ConnectionProperties#NONE}: plaintext)
   */
  public static void connectWith(final ConnectionProperties properties) {
    connection = Objects.requireNonNull(properties, "properties");
  }

  /**
   * @return the connection properties every configuration built here carries
   */
  public static ConnectionProperties connection() {
    return connection;
  }

  /** An admin client. */
  public static Map<String, Object> admin(final String bootstrapServers) {
    final Map<String, Object> config = new HashMap<>(connection.values());
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, requireBootstrap(bootstrapServers));
    return Map.copyOf(config);
  }

  /** An idempotent producer ({@code acks=all}) of String keys and byte[] values. */
  public static Map<String, Object> producer(final String bootstrapServers) {
    final Map<String, Object> config = new HashMap<>(connection.values());
    config.putAll(producerSizes());
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, requireBootstrap(bootstrapServers));
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return Map.copyOf(config);
  }

  /** A transactional producer for the consume-transform-produce loop. */
  public static Map<String, Object> transactionalProducer(
      final String bootstrapServers, final String transactionalId) {
    final Map<String, Object> config = new HashMap<>(producer(bootstrapServers));
    config.put(
        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
        Objects.requireNonNull(transactionalId, "transactionalId"));
    return Map.copyOf(config);
  }

  /**
   * A consumer of String keys and byte[] values that reads only committed records, starts at the
   * earliest offset of a new group and never commits on its own (workers commit offsets explicitly,
   * or inside their producer's transaction).
   */
  public static Map<String, Object> consumer(final String bootstrapServers, final String groupId) {
    final Map<String, Object> config = new HashMap<>(connection.values());
    config.putAll(consumerSizes());
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, requireBootstrap(bootstrapServers));
    config.put(ConsumerConfig.GROUP_ID_CONFIG, Objects.requireNonNull(groupId, "groupId"));
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    config.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return Map.copyOf(config);
  }

  /**
   * A Kafka Streams application with {@code exactly_once_v2}, String default keys, its embedded
   * producer and consumers sized like {@link #producer} and {@link #consumer}, and its internal
   * (changelog and repartition) topics accepting the largest record, zstd-compressed.
   */
  public static Map<String, Object> streams(
      final String bootstrapServers, final String applicationId) {
    final Map<String, Object> config = new HashMap<>(connection.values());
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, requireBootstrap(bootstrapServers));
    config.put(
        StreamsConfig.APPLICATION_ID_CONFIG,
        Objects.requireNonNull(applicationId, "applicationId"));
    config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    config.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class.getName());
    producerSizes().forEach((k, v) -> config.put(StreamsConfig.producerPrefix(k), v));
    consumerSizes().forEach((k, v) -> config.put(StreamsConfig.consumerPrefix(k), v));
    config.put(
        StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG),
        Integer.toString(Topics.LARGEST_MESSAGE_BYTES));
    config.put(StreamsConfig.topicPrefix(TopicConfig.COMPRESSION_TYPE_CONFIG), Topics.COMPRESSION);
    return Map.copyOf(config);
  }

  private static Map<String, Object> producerSizes() {
    return Map.of(
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES,
        ProducerConfig.BUFFER_MEMORY_CONFIG, PRODUCER_BUFFER_BYTES,
        ProducerConfig.COMPRESSION_TYPE_CONFIG, Topics.COMPRESSION);
  }

  private static Map<String, Object> consumerSizes() {
    return Map.of(
        ConsumerConfig.FETCH_MAX_BYTES_CONFIG, MAX_REQUEST_BYTES,
        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_REQUEST_BYTES);
  }

  private static String requireBootstrap(final String bootstrapServers) {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("bootstrap servers must be given");
    }
    return bootstrapServers;
  }
}
