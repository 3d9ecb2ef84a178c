package io.medsam.stream.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medsam.stream.topology.testing.InProcessKafka;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** {@link TopicProvisioner} against a real in-process KRaft broker. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TopicProvisionerIntegrationTest {

  private static InProcessKafka kafka;
  private static Admin admin;

  @BeforeAll
  static void startBroker() throws Exception {
    kafka = InProcessKafka.startWithoutTopics();
    admin = Admin.create(ClientConfigs.admin(kafka.bootstrapServers()));
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (admin != null) {
      admin.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  @Order(1)
  void createsEveryTopicWithItsSpecifiedConfig() throws Exception {
    final List<TopicSpec> specs = Topics.all();
    final ProvisioningReport report = TopicProvisioner.ensure(admin, specs);

    assertThat(report.created())
        .containsExactlyInAnyOrderElementsOf(specs.stream().map(TopicSpec::name).toList());
    assertThat(report.existing()).isEmpty();
    assertThat(report.warnings()).isEmpty();

    final var descriptions =
        admin.describeTopics(specs.stream().map(TopicSpec::name).toList()).allTopicNames().get();
    final Map<ConfigResource, Config> configs =
        admin
            .describeConfigs(
                specs.stream()
                    .map(s -> new ConfigResource(ConfigResource.Type.TOPIC, s.name()))
                    .toList())
            .all()
            .get();
    for (final TopicSpec spec : specs) {
      final Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
      assertThat(descriptions.get(spec.name()).partitions())
          .as(spec.name())
          .hasSize(spec.partitions());
      assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value())
          .as(spec.name())
          .isEqualTo(spec.cleanupPolicy().configValue());
      assertThat(config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value())
          .as(spec.name())
          .isEqualTo(Integer.toString(spec.maxMessageBytes()));
      assertThat(config.get(TopicConfig.COMPRESSION_TYPE_CONFIG).value())
          .as(spec.name())
          .isEqualTo("zstd");
      if (spec.retention().isPresent()) {
        assertThat(config.get(TopicConfig.RETENTION_MS_CONFIG).value())
            .as(spec.name())
            .isEqualTo(Long.toString(spec.retention().get().toMillis()));
      }
      spec.configs()
          .forEach(
              (key, value) ->
                  assertThat(config.get(key).value())
                      .as(key + " of " + spec.name())
                      .isEqualTo(value));
    }
    final Config history =
        configs.get(new ConfigResource(ConfigResource.Type.TOPIC, Topics.DECODER_WEIGHTS_HISTORY));
    assertThat(history.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("delete");
    assertThat(history.get(TopicConfig.RETENTION_MS_CONFIG).value()).isEqualTo("-1");
    assertThat(history.get(TopicConfig.RETENTION_BYTES_CONFIG).value()).isEqualTo("-1");
    assertThat(descriptions.get(Topics.DECODER_WEIGHTS_HISTORY).partitions()).hasSize(1);
    assertThat(
            configs
                .get(new ConfigResource(ConfigResource.Type.TOPIC, Topics.EMBEDDINGS))
                .get(TopicConfig.CLEANUP_POLICY_CONFIG)
                .value())
        .isEqualTo("compact");
    assertThat(
            configs
                .get(new ConfigResource(ConfigResource.Type.TOPIC, Topics.DECODER_WEIGHTS))
                .get(TopicConfig.CLEANUP_POLICY_CONFIG)
                .value())
        .isEqualTo("compact");
  }

  @Test
  @Order(2)
  void ensuringTwiceChangesNothing() {
    final ProvisioningReport report = TopicProvisioner.ensure(admin, Topics.all());

    assertThat(report.created()).isEmpty();
    assertThat(report.existing())
        .containsExactlyInAnyOrderElementsOf(Topics.all().stream().map(TopicSpec::name).toList());
    assertThat(report.warnings()).isEmpty();
  }

  @Test
  @Order(3)
  void existingTopicWithAnotherPartitionCountStopsTheStart() throws Exception {
    createAndAwait(new NewTopic("legacy.prompts", 1, (short) 1));
    final TopicSpec legacy =
        new TopicSpec(
            "legacy.prompts",
            3,
            1,
            CleanupPolicy.DELETE,
            1 << 20,
            "zstd",
            Optional.empty(),
            "sliceKey",
            "BoxPrompt");
    final TopicSpec fresh =
        new TopicSpec(
            "fresh.topic",
            2,
            1,
            CleanupPolicy.DELETE,
            1 << 20,
            "zstd",
            Optional.empty(),
            "sliceKey",
            "BoxPrompt");

    assertThatThrownBy(() -> TopicProvisioner.ensure(admin, List.of(legacy, fresh)))
        .isInstanceOfSatisfying(
            TopicMismatchException.class,
            e ->
                assertThat(e.mismatches())
                    .containsExactly(
                        new TopicMismatchException.Mismatch(
                            "legacy.prompts", "partitions", "3", "1")))
        .hasMessageContaining("legacy.prompts: partitions is 1, expected 3");
    assertThat(topicNames())
        .as("nothing is created when the start is refused")
        .doesNotContain("fresh.topic");
  }

  @Test
  @Order(4)
  void existingTopicWithAnotherCleanupPolicyStopsTheStart() throws Exception {
    createAndAwait(
        new NewTopic("legacy.embeddings", 3, (short) 1)
            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "delete")));
    final TopicSpec spec =
        new TopicSpec(
            "legacy.embeddings",
            3,
            1,
            CleanupPolicy.COMPACT,
            32 << 20,
            "zstd",
            Optional.empty(),
            "sliceKey",
            "SliceEmbedding");

    assertThatThrownBy(() -> TopicProvisioner.ensure(admin, List.of(spec)))
        .isInstanceOf(TopicMismatchException.class)
        .hasMessageContaining("legacy.embeddings: cleanup.policy is delete, expected compact");
  }

  @Test
  @Order(5)
  void smallerMaxMessageBytesIsAWarningNotAFailure() throws Exception {
    // created by hand with a 1 MiB limit (Kafka's default), not the 8 MiB the spec wants
    createAndAwait(
        new NewTopic("legacy.masks", 3, (short) 1)
            .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(1 << 20))));
    final TopicSpec spec =
        new TopicSpec(
            "legacy.masks",
            3,
            1,
            CleanupPolicy.DELETE,
            8 << 20,
            "zstd",
            Optional.empty(),
            "sliceKey",
            "MaskResult");

    final ProvisioningReport report = TopicProvisioner.ensure(admin, List.of(spec));

    assertThat(report.existing()).containsExactly("legacy.masks");
    assertThat(report.warnings())
        .anySatisfy(
            w ->
                assertThat(w)
                    .startsWith("legacy.masks: max.message.bytes is")
                    .contains("expected at least 8388608"));
    assertThat(report.warnings())
        .anySatisfy(w -> assertThat(w).startsWith("legacy.masks: compression.type is producer"));
  }

  @Test
  @Order(6)
  void aShorterRetentionThanForeverIsAWarning() throws Exception {
    createAndAwait(
        new NewTopic("legacy.weights-history", 1, (short) 1)
            .configs(
                Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG,
                    "delete",
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                    Integer.toString(64 << 20),
                    TopicConfig.COMPRESSION_TYPE_CONFIG,
                    "zstd",
                    TopicConfig.RETENTION_MS_CONFIG,
                    "604800000")));
    final TopicSpec spec =
        new TopicSpec(
            "legacy.weights-history",
            1,
            1,
            CleanupPolicy.DELETE,
            64 << 20,
            "zstd",
            Optional.of(TopicSpec.FOREVER),
            "decoder model id",
            "DecoderWeights");

    final ProvisioningReport report = TopicProvisioner.ensure(admin, List.of(spec));

    assertThat(report.existing()).containsExactly("legacy.weights-history");
    assertThat(report.warnings())
        .containsExactly(
            "legacy.weights-history: retention.ms is "
                + "604800000, expected -1 (records are deleted on another schedule than specified)");
  }

  /** Creates a topic and waits until the broker lists and describes it (metadata propagates). */
  private static void createAndAwait(final NewTopic topic) throws Exception {
    admin.createTopics(List.of(topic)).all().get();
    final long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      try {
        if (topicNames().contains(topic.name())) {
          admin
              .describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, topic.name())))
              .all()
              .get();
          return;
        }
      } catch (ExecutionException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
      Thread.sleep(50);
    }
  }

  private static Set<String> topicNames() throws Exception {
    return admin.listTopics().names().get().stream().collect(Collectors.toSet());
  }
}
