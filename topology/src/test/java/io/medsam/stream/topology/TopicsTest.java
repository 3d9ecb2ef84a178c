package io.medsam.stream.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicsTest {

  private static final int MIB = 1024 * 1024;

  @Test
  void namesAreTheContractNames() {
    assertThat(
            List.of(
                Topics.SCANS,
                Topics.SLICES,
                Topics.EMBEDDINGS,
                Topics.PROMPTS,
                Topics.MASKS,
                Topics.CORRECTIONS,
                Topics.DECODER_WEIGHTS,
                Topics.DECODER_WEIGHTS_HISTORY,
                Topics.DEAD_LETTERS,
                Topics.VOLUME_PROMPTS,
                Topics.VOLUME_MASKS,
                Topics.TRAINER_STATUS,
                Topics.ORTHANC_POSITIONS))
        .containsExactly(
            "medsam.scans.v1",
            "medsam.slices.v1",
            "medsam.embeddings.v1",
            "medsam.prompts.v1",
            "medsam.masks.v1",
            "medsam.corrections.v1",
            "medsam.decoder-weights.v1",
            "medsam.decoder-weights-history.v1",
            "medsam.dead-letters.v1",
            "medsam.volume-prompts.v1",
            "medsam.volume-masks.v1",
            "medsam.trainer-status.v1",
            "medsam.orthanc-positions.v1");
    assertThat(Topics.all())
        .extracting(TopicSpec::name)
        .containsExactly(
            Topics.SCANS,
            Topics.SLICES,
            Topics.EMBEDDINGS,
            Topics.PROMPTS,
            Topics.MASKS,
            Topics.CORRECTIONS,
            Topics.DECODER_WEIGHTS,
            Topics.DECODER_WEIGHTS_HISTORY,
            Topics.DEAD_LETTERS,
            Topics.VOLUME_PROMPTS,
            Topics.VOLUME_MASKS,
            Topics.TRAINER_STATUS,
            Topics.ORTHANC_POSITIONS);
  }

  @Test
  void joinedTopicsShareTheLayoutsPartitionCount() {
    final TopicLayout layout = new TopicLayout(12, 3);
    for (final String name :
        List.of(Topics.PROMPTS, Topics.EMBEDDINGS, Topics.MASKS, Topics.CORRECTIONS)) {
      assertThat(Topics.spec(name, layout).partitions()).as(name).isEqualTo(12);
    }
    assertThat(Topics.spec(Topics.DECODER_WEIGHTS, layout).partitions()).isEqualTo(1);
    assertThat(Topics.spec(Topics.DECODER_WEIGHTS_HISTORY, layout).partitions()).isEqualTo(1);
    assertThat(Topics.spec(Topics.ORTHANC_POSITIONS, layout).partitions()).isEqualTo(1);
    assertThat(Topics.all(layout)).allSatisfy(s -> assertThat(s.replicationFactor()).isEqualTo(3));
    assertThat(Topics.all()).allSatisfy(s -> assertThat(s.replicationFactor()).isEqualTo(1));
    assertThat(Topics.spec(Topics.PROMPTS, TopicLayout.DEFAULT).partitions()).isEqualTo(3);
  }

  @Test
  void embeddingsAndWeightsAreCompactedAndTakeLargeRecords() {
    assertThat(Topics.spec(Topics.ORTHANC_POSITIONS, TopicLayout.DEFAULT).cleanupPolicy())
        .isEqualTo(CleanupPolicy.COMPACT);
    for (final String name : List.of(Topics.EMBEDDINGS, Topics.DECODER_WEIGHTS)) {
      final TopicSpec spec = Topics.spec(name, TopicLayout.DEFAULT);
      assertThat(spec.cleanupPolicy()).as(name).isEqualTo(CleanupPolicy.COMPACT);
      assertThat(spec.maxMessageBytes()).as(name).isGreaterThanOrEqualTo(32 * MIB);
      assertThat(spec.retention()).as(name).isEmpty();
      assertThat(spec.configs()).as(name).doesNotContainKey("retention.ms");
    }
    // a 1024x1024 RGB slice and a full ViT-B fp32 decoder with room to spare
    assertThat(Topics.spec(Topics.SLICES, TopicLayout.DEFAULT).maxMessageBytes())
        .isGreaterThanOrEqualTo(2 * 3 * MIB);
    assertThat(Topics.DECODER_WEIGHTS_MAX_BYTES).isGreaterThanOrEqualTo(2 * 16 * MIB);
  }

  @Test
  void deadLettersTakeTheLargestRecordOfAnyTopic() {
    final int largestSource =
        Topics.all().stream()
            .filter(s -> !s.name().equals(Topics.DEAD_LETTERS))
            .mapToInt(TopicSpec::maxMessageBytes)
            .max()
            .orElseThrow();
    assertThat(Topics.spec(Topics.DEAD_LETTERS, TopicLayout.DEFAULT).maxMessageBytes())
        .isGreaterThan(largestSource);
    assertThat(Topics.LARGEST_MESSAGE_BYTES)
        .isEqualTo(Topics.all().stream().mapToInt(TopicSpec::maxMessageBytes).max().orElseThrow());
  }

  @Test
  void everyTopicIsZstdAndCorrectionsAreKeptForever() {
    assertThat(Topics.all())
        .allSatisfy(
            s -> {
              assertThat(s.compressionType()).isEqualTo("zstd");
              assertThat(s.configs()).containsEntry("compression.type", "zstd");
            });
    assertThat(Topics.spec(Topics.CORRECTIONS, TopicLayout.DEFAULT).configs())
        .containsEntry("retention.ms", "-1")
        .containsEntry("retention.bytes", "-1")
        .containsEntry("cleanup.policy", "delete");
    assertThat(Topics.all())
        .filteredOn(TopicSpec::keptForever)
        .extracting(TopicSpec::name)
        .containsExactly(Topics.CORRECTIONS, Topics.DECODER_WEIGHTS_HISTORY);
  }

  @Test
  void weightsHistoryKeepsEveryVersionOfTheWeightsTopicForever() {
    final TopicLayout layout = new TopicLayout(12, 3);
    final TopicSpec serving = Topics.spec(Topics.DECODER_WEIGHTS, layout);
    final TopicSpec history = Topics.spec(Topics.DECODER_WEIGHTS_HISTORY, layout);
    assertThat(history.cleanupPolicy()).isEqualTo(CleanupPolicy.DELETE);
    assertThat(history.retention()).contains(TopicSpec.FOREVER);
    assertThat(history.configs())
        .isEqualTo(
            Map.of(
                "cleanup.policy",
                "delete",
                "max.message.bytes",
                Integer.toString(Topics.DECODER_WEIGHTS_MAX_BYTES),
                "compression.type",
                "zstd",
                "retention.ms",
                "-1",
                "retention.bytes",
                "-1"));
    assertThat(history.partitions()).isEqualTo(1);
    assertThat(history.replicationFactor()).isEqualTo(3);
    assertThat(history.maxMessageBytes()).isEqualTo(serving.maxMessageBytes());
    assertThat(history.key()).isEqualTo(serving.key());
    assertThat(history.valueType()).isEqualTo(serving.valueType()).isEqualTo("DecoderWeights");
    // a week-long retention is not "forever": no retention.bytes is set for it
    assertThat(Topics.spec(Topics.PROMPTS, layout).configs())
        .containsEntry("retention.ms", Long.toString(Duration.ofDays(7).toMillis()))
        .doesNotContainKey("retention.bytes");
  }

  @Test
  void newTopicCarriesTheSpec() {
    final NewTopic topic = Topics.spec(Topics.EMBEDDINGS, new TopicLayout(6, 2)).toNewTopic();
    assertThat(topic.name()).isEqualTo(Topics.EMBEDDINGS);
    assertThat(topic.numPartitions()).isEqualTo(6);
    assertThat(topic.replicationFactor()).isEqualTo((short) 2);
    assertThat(topic.configs())
        .isEqualTo(
            Map.of(
                "cleanup.policy",
                "compact",
                "max.message.bytes",
                Integer.toString(32 * MIB),
                "compression.type",
                "zstd"));
  }

  @Test
  void invalidLayoutsAndSpecsAreRefused() {
    assertThatThrownBy(() -> new TopicLayout(0, 1)).hasMessageContaining("partitions");
    assertThatThrownBy(() -> new TopicLayout(3, 0)).hasMessageContaining("replicationFactor");
    assertThatThrownBy(
            () ->
                new TopicSpec(
                    "t",
                    1,
                    1,
                    CleanupPolicy.COMPACT,
                    10,
                    "zstd",
                    Optional.of(Duration.ofDays(1)),
                    "k",
                    "V"))
        .hasMessageContaining("takes no retention");
    assertThatThrownBy(() -> Topics.spec("medsam.nope.v1", TopicLayout.DEFAULT))
        .hasMessageContaining("Not a MedSAM Stream topic: medsam.nope.v1");
  }
}
