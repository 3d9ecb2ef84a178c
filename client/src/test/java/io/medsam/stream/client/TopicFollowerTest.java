package io.medsam.stream.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.topology.testing.InProcessKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The follower on an in-process broker: every partition, positioned by its owner, closed cleanly.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TopicFollowerTest {

  private static final String TOPIC = "test.follower";

  private static InProcessKafka kafka;
  private static KafkaProducer<byte[], byte[]> producer;

  @BeforeAll
  static void startBroker() throws Exception {
    kafka = InProcessKafka.startWithoutTopics();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get();
    }
    producer =
        new KafkaProducer<>(
            ClientConfigs.producer(kafka.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer());
  }

  @AfterAll
  static void stopBroker() throws Exception {
    producer.close();
    kafka.close();
  }

  private static void send(final int partition, final String value) throws Exception {
    producer
        .send(new ProducerRecord<>(TOPIC, partition, null, value.getBytes(StandardCharsets.UTF_8)))
        .get();
  }

  private static List<String> values(final List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
  }

  private static void awaitSize(final List<?> list, final int size) throws InterruptedException {
    final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (list.size() < size && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  @Test
  void readsEveryPartitionFromWhereItsOwnerPutItUntilClosed() throws Exception {
    send(0, "old-0");
    send(1, "old-1");
    final List<ConsumerRecord<byte[], byte[]>> fromStart = new CopyOnWriteArrayList<>();
    final List<ConsumerRecord<byte[], byte[]>> fromEnd = new CopyOnWriteArrayList<>();
    final AtomicInteger polls = new AtomicInteger();
    try (TopicFollower all = new TopicFollower(kafka.bootstrapServers(), TOPIC, Map.of());
        TopicFollower fresh = new TopicFollower(kafka.bootstrapServers(), TOPIC, Map.of())) {
      assertThat(all.partitions()).hasSize(2);
      all.consumer().seekToBeginning(all.partitions());
      all.start("test-all", fromStart::add, polls::incrementAndGet);
      fresh.consumer().seekToEnd(fresh.partitions());
      fresh.partitions().forEach(fresh.consumer()::position);
      fresh.start("test-fresh", fromEnd::add, () -> {});

      send(0, "new-0");
      send(1, "new-1");
      awaitSize(fromStart, 4);
      awaitSize(fromEnd, 2);

      assertThat(values(fromStart)).containsExactlyInAnyOrder("old-0", "old-1", "new-0", "new-1");
      assertThat(values(fromEnd)).containsExactlyInAnyOrder("new-0", "new-1");
      assertThat(polls.get()).isPositive();
      all.close();
      assertThatThrownBy(() -> all.consumer().poll(Duration.ZERO))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
    }
  }
}
