package io.medsam.stream.trainer.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.topology.TopicProvisioner;
import io.medsam.stream.topology.Topics;
import io.medsam.stream.trainer.InProcessBroker;
import io.medsam.stream.trainer.replay.TopicReplay;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The weights history topic on a real broker: every publication reaches the history and the serving
 * topic together; list and rollback work from the history alone after the serving topic lost every
 * older version; a publication whose serving write fails is aborted on both topics and never
 * listed; records published before the history existed are adopted into it once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WeightsHistoryTopicTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-28T02:00:00Z"), ZoneOffset.UTC);

  @RegisterExtension static final InProcessBroker broker = new InProcessBroker();

  @Test
  @Order(1)
  void listAndRollbackNeedOnlyTheHistoryAndAbortedPublicationsAreNotInIt() throws Exception {
    final WeightsPublisher publisher = new WeightsPublisher(broker.bootstrap(), CLOCK);
    final List<DecoderWeights> trained = new ArrayList<>();
    String parent = "base-1";
    for (int n = 1; n <= 3; n++) {
      final DecoderWeights w = weights("m", "ft" + n, parent, n);
      publisher.publish(w, TIMEOUT);
      trained.add(w);
      parent = w.getVersion();
    }
    assertThat(history("m")).isEqualTo(trained);
    assertThat(served("m")).isEqualTo(trained);

    // the serving topic loses every older version (as the log cleaner would remove them, and
    // more): it is deleted and created again, empty
    dropServingTopic();
    assertThat(served("m")).isEmpty();

    assertThat(versions(WeightsAdmin.list(broker.bootstrap(), "m")))
        .containsExactly("ft1", "ft2", "ft3");
    final DecoderWeights back = WeightsAdmin.rollback(broker.bootstrap(), null, "ft1");
    assertThat(back.getVersion()).isEqualTo("ft1");
    assertThat(back.getRollbackOf()).isEqualTo("ft3");
    assertThat(back.getTensors()).isEqualTo(trained.get(0).getTensors());
    assertThat(served("m")).containsExactly(back);
    // ft2 was never the latest record on the new serving topic: rollback finds it in the history
    final DecoderWeights again = WeightsAdmin.rollback(broker.bootstrap(), "m", "ft2");
    assertThat(again.getRollbackOf()).isEqualTo("ft1");
    assertThat(again.getTensors()).isEqualTo(trained.get(1).getTensors());
    assertThat(served("m")).containsExactly(back, again);

    // a publication whose serving write fails is aborted: the history does not show it either
    setServingMaxMessageBytes(1024);
    final DecoderWeights refused = weights("m", "ft4", "ft2", 4);
    assertThatThrownBy(() -> publisher.publish(refused, TIMEOUT))
        .isInstanceOf(WeightsPublicationException.class)
        .hasMessageContaining("ft4 not published (aborted)");
    setServingMaxMessageBytes(Topics.DECODER_WEIGHTS_MAX_BYTES);
    final byte[] refusedBytes = AvroCodec.of(DecoderWeights.class).encode(refused);
    assertThat(readUncommitted(Topics.DECODER_WEIGHTS_HISTORY))
        .as("the aborted record was written to the history log, then aborted")
        .anySatisfy(value -> assertThat(value).isEqualTo(refusedBytes));
    final Map<String, Object> uncommitted =
        new HashMap<>(ClientConfigs.consumer(broker.bootstrap(), "replay"));
    uncommitted.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    final List<byte[]> replayed = new ArrayList<>();
    TopicReplay.toEnd(
        uncommitted,
        Topics.DECODER_WEIGHTS_HISTORY,
        TIMEOUT,
        r -> {
          if ("m".equals(new String(r.key(), StandardCharsets.UTF_8))) {
            replayed.add(r.value());
          }
        });
    assertThat(replayed).hasSize(5).noneSatisfy(v -> assertThat(v).isEqualTo(refusedBytes));
    assertThat(versions(WeightsAdmin.list(broker.bootstrap(), "m")))
        .containsExactly("ft1", "ft2", "ft3", "ft1", "ft2");
    assertThat(served("m")).containsExactly(back, again);

    final WeightsHistory history =
        WeightsHistory.read(
            ClientConfigs.consumer(broker.bootstrap(), "t"),
            Topics.DECODER_WEIGHTS_HISTORY,
            "m",
            TIMEOUT);
    assertThat(history.trainedVersions()).isEqualTo(3);
    assertThat(history.current()).contains(again);
    assertThat(history.records())
        .hasSize(5)
        .allSatisfy(
            summary ->
                assertThat(summary.getTensors())
                    .singleElement()
                    .satisfies(
                        t -> {
                          assertThat(t.getShape()).containsExactly(64L, 64L);
                          assertThat(t.getData().remaining()).isZero();
                        }));
    assertThat(history.find("ft3").orElseThrow().getTensors())
        .isEqualTo(trained.get(2).getTensors());
    assertThat(history.find("ft4")).isEmpty();
    assertThatThrownBy(() -> WeightsAdmin.rollback(broker.bootstrap(), null, "ft4"))
        .isInstanceOf(WeightsPublicationException.class)
        .hasMessageContaining("version ft4 is not on " + Topics.DECODER_WEIGHTS_HISTORY);

    // the next publication after the aborted one commits on both topics
    final DecoderWeights next = weights("m", "ft4", "ft2", 5);
    publisher.publish(next, TIMEOUT);
    assertThat(served("m")).containsExactly(back, again, next);
    assertThat(history("m")).endsWith(again, next).hasSize(6);
  }

  @Test
  @Order(2)
  void recordsPublishedBeforeTheHistoryExistedAreAdoptedOnce() throws Exception {
    final List<DecoderWeights> legacy =
        List.of(weights("legacy", "ft1", "b", 11), weights("legacy", "ft2", "ft1", 12));
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            ClientConfigs.producer(broker.bootstrap()),
            new StringSerializer(),
            new ByteArraySerializer())) {
      for (final DecoderWeights w : legacy) {
        producer
            .send(
                new ProducerRecord<>(
                    Topics.DECODER_WEIGHTS, "legacy", AvroCodec.of(DecoderWeights.class).encode(w)))
            .get();
      }
    }
    final Map<String, Object> reader = ClientConfigs.consumer(broker.bootstrap(), "adopt");
    final WeightsPublisher publisher = new WeightsPublisher(broker.bootstrap(), CLOCK);
    final WeightsHistory none =
        WeightsHistory.read(reader, Topics.DECODER_WEIGHTS_HISTORY, "legacy", TIMEOUT);
    assertThat(none.isEmpty()).isTrue();
    final List<DecoderWeights> serving =
        WeightsHistory.readWithTensors(reader, Topics.DECODER_WEIGHTS, "legacy", TIMEOUT);
    assertThat(serving).isEqualTo(legacy);

    assertThat(publisher.adoptServingRecords(none, serving, TIMEOUT)).isEqualTo(2);
    final WeightsHistory adopted =
        WeightsHistory.read(reader, Topics.DECODER_WEIGHTS_HISTORY, "legacy", TIMEOUT);
    assertThat(history("legacy")).isEqualTo(legacy);
    assertThat(adopted.records())
        .extracting(DecoderWeights::getVersion)
        .containsExactly("ft1", "ft2");
    assertThat(adopted.current()).contains(legacy.get(1));
    assertThat(adopted.find("ft1")).contains(legacy.get(0));
    assertThat(adopted.trainedVersions()).isEqualTo(2);
    assertThat(publisher.adoptServingRecords(adopted, serving, TIMEOUT)).isZero();
    assertThat(
            WeightsHistory.read(reader, Topics.DECODER_WEIGHTS_HISTORY, "legacy", TIMEOUT)
                .records())
        .hasSize(2);
    // adoption writes the history only: the serving topic still has each record once
    assertThat(WeightsHistory.readWithTensors(reader, Topics.DECODER_WEIGHTS, "legacy", TIMEOUT))
        .isEqualTo(legacy);
    // ft1 now names a version of two models ("m" of the first test, and "legacy")
    assertThatThrownBy(() -> WeightsAdmin.rollback(broker.bootstrap(), null, "ft1"))
        .isInstanceOf(WeightsPublicationException.class)
        .hasMessageContaining("published by several models [m, legacy]");
  }

  /** A record with one random 64x64 tensor (16 KiB, incompressible). */
  private static DecoderWeights weights(
      final String model, final String version, final String parent, final long seed) {
    final Random random = new Random(seed);
    final float[] values = new float[64 * 64];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    final Map<String, float[]> tensors = new LinkedHashMap<>();
    tensors.put("mask_decoder.w", values);
    return DecoderWeights.newBuilder()
        .setModelId(model)
        .setVersion(version)
        .setParentVersion(parent)
        .setTensors(WeightTensors.toRecords(tensors, Map.of("mask_decoder.w", new long[] {64, 64})))
        .setHoldoutDscBefore(0.5)
        .setHoldoutDscAfter(0.5 + seed / 100.0)
        .setTrainPairs(10)
        .setHoldoutPairs(3)
        .setTrainerConfig(Map.of())
        .setRollbackOf(null)
        .setCreatedAt(Instant.ofEpochMilli(1_700_000_000_000L + seed))
        .build();
  }

  private static List<DecoderWeights> served(final String model) {
    return broker.weights().stream().filter(w -> w.getModelId().equals(model)).toList();
  }

  private static List<DecoderWeights> history(final String model) {
    return broker.weightsHistory().stream().filter(w -> w.getModelId().equals(model)).toList();
  }

  private static List<String> versions(final List<String> listing) throws IOException {
    final List<String> out = new ArrayList<>();
    for (final String line : listing) {
      final JsonNode o = JSON.readTree(line);
      assertThat(o.get("model").asText()).isEqualTo("m");
      out.add(o.get("version").asText());
    }
    return out;
  }

  private static void dropServingTopic() throws Exception {
    try (Admin admin = Admin.create(ClientConfigs.admin(broker.bootstrap()))) {
      admin.deleteTopics(List.of(Topics.DECODER_WEIGHTS)).all().get();
      InProcessBroker.await(
          TIMEOUT,
          () -> {
            try {
              return !admin.listTopics().names().get().contains(Topics.DECODER_WEIGHTS);
            } catch (Exception e) {
              return false;
            }
          });
      TopicProvisioner.ensure(admin, Topics.all());
    }
  }

  private static void setServingMaxMessageBytes(final int bytes) throws Exception {
    try (Admin admin = Admin.create(ClientConfigs.admin(broker.bootstrap()))) {
      final ConfigResource topic =
          new ConfigResource(ConfigResource.Type.TOPIC, Topics.DECODER_WEIGHTS);
      admin
          .incrementalAlterConfigs(
              Map.of(
                  topic,
                  List.of(
                      new AlterConfigOp(
                          new ConfigEntry(
                              TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(bytes)),
                          AlterConfigOp.OpType.SET))))
          .all()
          .get();
      InProcessBroker.await(
          TIMEOUT,
          () -> {
            try {
              return admin
                  .describeConfigs(List.of(topic))
                  .all()
                  .get()
                  .get(topic)
                  .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG)
                  .value()
                  .equals(Integer.toString(bytes));
            } catch (Exception e) {
              return false;
            }
          });
    }
  }

  private static List<byte[]> readUncommitted(final String topic) {
    final Map<String, Object> config =
        new HashMap<>(ClientConfigs.consumer(broker.bootstrap(), "uncommitted"));
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    final List<byte[]> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      final TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      final long end = consumer.endOffsets(List.of(partition)).get(partition);
      final long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (consumer.position(partition) < end && System.nanoTime() < deadline) {
        for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          out.add(r.value());
        }
      }
    }
    return out;
  }
}
