package io.medsam.stream.app.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.topology.TopicSpec;
import io.medsam.stream.topology.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default end to end: a real KRaft broker formats a fresh directory, serves every
 * topic as specified, carries a 4 MiB embedding-sized record, and after a restart on the same
 * directory still has the record and the same cluster id.
 */
class EmbeddedKafkaTest {
  private static final int FOUR_MIB = 4 * 1024 * 1024;
  private static final String SLICE_KEY = "1.2.840.113619.2.1/axial/90";

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void formatsOnceServesSpecifiedTopicsAndKeepsRecordsAcrossRestarts(
      @TempDir final Path dir, @TempDir final Path elsewhere) throws Exception {
    final byte[] payload = new byte[FOUR_MIB];
    new Random(20240611L).nextBytes(payload); // incompressible: zstd cannot shrink it below 4 MiB
    final String clusterId;
    final RecordMetadata written;

    try (EmbeddedKafka kafka = EmbeddedKafka.start(BrokerSettings.of(dir, 0))) {
      assertThat(kafka.port()).isPositive();
      assertThat(kafka.bootstrapServers()).isEqualTo("localhost:" + kafka.port());
      assertThat(dir.resolve(BrokerStorage.META_PROPERTIES)).isRegularFile();
      clusterId = kafka.clusterId();
      try (Admin admin = admin(kafka)) {
        assertThat(admin.describeCluster().clusterId().get()).isEqualTo(clusterId);
        assertTopicsAsSpecified(admin);
      }
      try (KafkaProducer<String, byte[]> producer =
          new KafkaProducer<>(
              ClientConfigs.producer(kafka.bootstrapServers()),
              new StringSerializer(),
              new ByteArraySerializer())) {
        written =
            producer
                .send(new ProducerRecord<>(Topics.EMBEDDINGS, SLICE_KEY, payload))
                .get(60, TimeUnit.SECONDS);
      }
      assertThat(written.serializedValueSize()).isEqualTo(FOUR_MIB);
    }
    assertThat(BrokerStorage.clusterId(dir)).hasValue(clusterId);

    try (EmbeddedKafka again = EmbeddedKafka.start(BrokerSettings.of(dir, 0))) {
      assertThat(again.clusterId()).isEqualTo(clusterId);
      try (Admin admin = admin(again)) {
        assertThat(admin.describeCluster().clusterId().get()).isEqualTo(clusterId);
        assertTopicsAsSpecified(admin);
      }
      final ConsumerRecord<String, byte[]> read =
          readAt(
              again.bootstrapServers(),
              new TopicPartition(written.topic(), written.partition()),
              written.offset());
      assertThat(read.key()).isEqualTo(SLICE_KEY);
      assertThat(read.value()).isEqualTo(payload);

      // a second broker is refused before Kafka touches the running one's files or port
      assertThatThrownBy(() -> EmbeddedKafka.start(BrokerSettings.of(dir, 0)).close())
          .isInstanceOf(BrokerStartException.class)
          .hasMessageContaining("another medsam broker is using");
      assertThatThrownBy(
              () -> EmbeddedKafka.start(BrokerSettings.of(elsewhere, again.port())).close())
          .isInstanceOf(BrokerStartException.class)
          .hasMessageContaining("cannot listen on localhost:" + again.port());
      assertThat(elsewhere.resolve(BrokerStorage.META_PROPERTIES)).doesNotExist();
    }

    // the same directory with a different partition count: refused, never silently changed
    assertThatThrownBy(() -> EmbeddedKafka.start(new BrokerSettings(dir, 0, 4)).close())
        .isInstanceOf(BrokerStartException.class)
        .hasMessageContaining("MedSAM topics");
  }

  private static Admin admin(final EmbeddedKafka kafka) {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
  }

  private static void assertTopicsAsSpecified(final Admin admin) throws Exception {
    final List<TopicSpec> specs = Topics.all(TopicSetup.singleNode(3));
    final List<String> names = specs.stream().map(TopicSpec::name).collect(Collectors.toList());
    assertThat(admin.listTopics().names().get()).containsAll(names);
    final Map<String, TopicDescription> described =
        admin.describeTopics(names).allTopicNames().get();
    final Map<ConfigResource, Config> configs =
        admin
            .describeConfigs(
                names.stream()
                    .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n))
                    .collect(Collectors.toList()))
            .all()
            .get();
    for (TopicSpec spec : specs) {
      final TopicDescription d = described.get(spec.name());
      assertThat(d.partitions()).as("partitions of %s", spec.name()).hasSize(spec.partitions());
      assertThat(d.partitions().get(0).replicas()).as("replicas of %s", spec.name()).hasSize(1);
      final Config actual = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
      spec.configs()
          .forEach(
              (key, value) ->
                  assertThat(actual.get(key).value())
                      .as("%s of %s", key, spec.name())
                      .isEqualTo(value));
    }
    assertThat(described.get(Topics.EMBEDDINGS).partitions()).hasSize(3);
    assertThat(
            configs
                .get(new ConfigResource(ConfigResource.Type.TOPIC, Topics.EMBEDDINGS))
                .get("cleanup.policy")
                .value())
        .isEqualTo("compact");
    assertThat(
            Integer.parseInt(
                configs
                    .get(new ConfigResource(ConfigResource.Type.TOPIC, Topics.EMBEDDINGS))
                    .get("max.message.bytes")
                    .value()))
        .isGreaterThanOrEqualTo(32 << 20);
    // every published decoder-weights version is kept forever, for rollback
    final Config history =
        configs.get(new ConfigResource(ConfigResource.Type.TOPIC, Topics.DECODER_WEIGHTS_HISTORY));
    assertThat(described.get(Topics.DECODER_WEIGHTS_HISTORY).partitions()).hasSize(1);
    assertThat(history.get("cleanup.policy").value()).isEqualTo("delete");
    assertThat(history.get("retention.ms").value()).isEqualTo("-1");
    assertThat(history.get("retention.bytes").value()).isEqualTo("-1");
  }

  private static ConsumerRecord<String, byte[]> readAt(
      final String bootstrapServers, final TopicPartition partition, final long offset) {
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            ClientConfigs.consumer(bootstrapServers, "embedded-kafka-test"),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seek(partition, offset);
      final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.offset() == offset) {
            return r;
          }
        }
      }
    }
    throw new AssertionError("no record at " + partition + "@" + offset + " within 60 s");
  }
}
