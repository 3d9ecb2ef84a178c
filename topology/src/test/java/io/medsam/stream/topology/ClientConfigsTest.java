package io.medsam.stream.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The maps are parsed by Kafka's own config classes, so a wrong key or type fails here. */
class ClientConfigsTest {

  private static final String BOOTSTRAP = "localhost:9092";

  @Test
  void producerIsSizedForTheLargestTopicWithZstd() {
    final ProducerConfig config = new ProducerConfig(ClientConfigs.producer(BOOTSTRAP));
    assertThat(config.getInt(ProducerConfig.MAX_REQUEST_SIZE_CONFIG))
        .isGreaterThanOrEqualTo(Topics.LARGEST_MESSAGE_BYTES);
    assertThat(config.getLong(ProducerConfig.BUFFER_MEMORY_CONFIG))
        .isGreaterThan(Topics.LARGEST_MESSAGE_BYTES);
    assertThat(config.getString(ProducerConfig.COMPRESSION_TYPE_CONFIG)).isEqualTo("zstd");
    assertThat(config.getString(ProducerConfig.ACKS_CONFIG)).isEqualTo("-1");
    assertThat(config.getBoolean(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isTrue();
    assertThat(config.getString(ProducerConfig.TRANSACTIONAL_ID_CONFIG)).isNull();
  }

  @Test
  void transactionalProducerAddsItsId() {
    final ProducerConfig config =
        new ProducerConfig(ClientConfigs.transactionalProducer(BOOTSTRAP, "encoder-0"));
    assertThat(config.getString(ProducerConfig.TRANSACTIONAL_ID_CONFIG)).isEqualTo("encoder-0");
    assertThat(config.getInt(ProducerConfig.MAX_REQUEST_SIZE_CONFIG))
        .isEqualTo(ClientConfigs.MAX_REQUEST_BYTES);
  }

  @Test
  void consumerReadsCommittedBytesSizedForTheLargestTopic() {
    final ConsumerConfig config = new ConsumerConfig(ClientConfigs.consumer(BOOTSTRAP, "g"));
    assertThat(config.getString(ConsumerConfig.ISOLATION_LEVEL_CONFIG)).isEqualTo("read_committed");
    assertThat(config.getInt(ConsumerConfig.FETCH_MAX_BYTES_CONFIG))
        .isGreaterThanOrEqualTo(Topics.LARGEST_MESSAGE_BYTES);
    assertThat(config.getInt(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG))
        .isGreaterThanOrEqualTo(Topics.LARGEST_MESSAGE_BYTES);
    assertThat(config.getBoolean(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG)).isFalse();
    assertThat(config.getClass(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG).getSimpleName())
        .isEqualTo("ByteArrayDeserializer");
    assertThat(config.getString(ConsumerConfig.GROUP_ID_CONFIG)).isEqualTo("g");
  }

  @Test
  void streamsIsExactlyOnceAndItsClientsAndInternalTopicsMatchTheSizes() {
    final Map<String, Object> map = ClientConfigs.streams(BOOTSTRAP, "medsam-decoder");
    final StreamsConfig config = new StreamsConfig(map);
    assertThat(config.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))
        .isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
    assertThat(config.getString(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("medsam-decoder");

    final Map<String, Object> producer = config.getProducerConfigs("client-1");
    assertThat(producer)
        .containsEntry(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, ClientConfigs.MAX_REQUEST_BYTES);
    assertThat(producer).containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
    assertThat(producer)
        .containsEntry(ProducerConfig.BUFFER_MEMORY_CONFIG, ClientConfigs.PRODUCER_BUFFER_BYTES);

    final Map<String, Object> consumer = config.getMainConsumerConfigs("g", "c", 0);
    assertThat(consumer)
        .containsEntry(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, ClientConfigs.MAX_REQUEST_BYTES);
    assertThat(consumer)
        .containsEntry(
            ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, ClientConfigs.MAX_REQUEST_BYTES);
    assertThat(consumer).containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    assertThat(config.getRestoreConsumerConfigs("c"))
        .containsEntry(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, ClientConfigs.MAX_REQUEST_BYTES);

    assertThat(config.originalsWithPrefix(StreamsConfig.TOPIC_PREFIX))
        .containsEntry("max.message.bytes", Integer.toString(Topics.LARGEST_MESSAGE_BYTES))
        .containsEntry("compression.type", "zstd");
  }

  @Test
  void missingBootstrapIsRefused() {
    assertThatThrownBy(() -> ClientConfigs.producer(" "))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
