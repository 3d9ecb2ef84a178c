package io.medsam.stream.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real clients that point at a port where no broker listens: polling, waking up and closing need no
 * broker, and a closed client refuses to be used again, which shows that it was closed.
 */
class WorkerLifecycleTest {

  private static final String NOWHERE = "localhost:1";

  private final KafkaConsumer<byte[], byte[]> consumer =
      new KafkaConsumer<>(
          Map.of(
              ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
              NOWHERE,
              ConsumerConfig.RECONNECT_BACKOFF_MS_CONFIG,
              1_000),
          new ByteArrayDeserializer(),
          new ByteArrayDeserializer());
  private final KafkaProducer<byte[], byte[]> producer =
      new KafkaProducer<>(
          Map.of(
              ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
              NOWHERE,
              ProducerConfig.MAX_BLOCK_MS_CONFIG,
              500),
          new ByteArraySerializer(),
          new ByteArraySerializer());

  @AfterEach
  void closeWhatIsLeft() {
    KafkaClients.closeQuietly(consumer, producer, Duration.ZERO);
  }

  private void assertClosed() {
    assertThatThrownBy(() -> consumer.poll(Duration.ZERO))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.SCANS, new byte[0])).get())
        .hasMessageContaining("closed");
  }

  @Test
  void closeBeforeTheLoopStartedClosesTheClientsAndCountsAsStopped() throws Exception {
    final WorkerLifecycle lifecycle =
        new WorkerLifecycle("test worker", consumer, producer, Duration.ofSeconds(5));

    lifecycle.close();

    assertThat(lifecycle.isRunning()).isFalse();
    assertThat(lifecycle.awaitStopped(Duration.ZERO)).isTrue();
    assertThat(lifecycle.start()).as("a closed worker does not start").isFalse();
    assertThat(lifecycle.failure()).isNull();
    assertClosed();
  }

  @Test
  void closeWakesARunningLoopAndWaitsForItsEnd() throws Exception {
    final WorkerLifecycle lifecycle =
        new WorkerLifecycle("test worker", consumer, producer, Duration.ofSeconds(30));
    consumer.assign(List.of(new TopicPartition(Topics.SCANS, 0)));
    final Thread loop =
        new Thread(
            () -> {
              assertThat(lifecycle.start()).isTrue();
              try {
                while (lifecycle.isRunning()) {
                  consumer.poll(Duration.ofSeconds(10));
                }
              } catch (WakeupException e) {
                // closing
              } finally {
                lifecycle.closeClients();
                lifecycle.markStopped();
              }
            });
    loop.start();
    while (loop.getState() == Thread.State.NEW || !lifecycle.isRunning()) {
      Thread.onSpinWait();
    }
    Thread.sleep(200); // let the loop reach poll

    final long begin = System.nanoTime();
    lifecycle.close();

    assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(10));
    assertThat(lifecycle.awaitStopped(Duration.ZERO)).isTrue();
    assertThat(lifecycle.start()).as("a loop runs once").isFalse();
    loop.join(5_000);
    assertClosed();
  }

  @Test
  void closeGivesUpAfterTheStopWaitWhenTheLoopDoesNotEnd() throws Exception {
    final WorkerLifecycle lifecycle =
        new WorkerLifecycle("test worker", consumer, producer, Duration.ofMillis(200));
    assertThat(lifecycle.start()).isTrue();

    final long begin = System.nanoTime();
    lifecycle.close();

    assertThat(Duration.ofNanos(System.nanoTime() - begin))
        .isBetween(Duration.ofMillis(190), Duration.ofSeconds(5));
    assertThat(lifecycle.isRunning()).isFalse();
    assertThat(lifecycle.awaitStopped(Duration.ZERO)).isFalse();
  }

  @Test
  void failRecordsTheCauseStopsTheLoopAndClosesTheClientsAtOnce() throws Exception {
    final WorkerLifecycle lifecycle =
        new WorkerLifecycle("test worker", consumer, producer, Duration.ofSeconds(5));
    assertThat(lifecycle.start()).isTrue();
    final IllegalStateException cause = new IllegalStateException("crash");

    lifecycle.fail(cause);
    lifecycle.markStopped();

    assertThat(lifecycle.failure()).isSameAs(cause);
    assertThat(lifecycle.isRunning()).isFalse();
    assertThat(lifecycle.awaitStopped(Duration.ZERO)).isTrue();
    assertClosed();
  }
}
