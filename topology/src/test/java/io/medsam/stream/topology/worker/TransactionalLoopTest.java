package io.medsam.stream.topology.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medsam.stream.topology.KafkaClients;
import io.medsam.stream.topology.Topics;
import io.medsam.stream.topology.testing.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real clients that point at a port where no broker listens: polling, waking up and closing need no
 * broker, and a closed client refuses to be used again, which shows that it was closed. The stop
 * wait runs on a clock that the test moves.
 */
class TransactionalLoopTest {

  private static final String NOWHERE = "localhost:1";
  private static final Duration WAIT = Duration.ofSeconds(30);

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
  private final AtomicInteger finished = new AtomicInteger();
  private final AtomicInteger released = new AtomicInteger();

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

  /** A body that polls an assigned partition of the unreachable broker. */
  private final class Polling implements TransactionalLoop.Body {
    @Override
    public void open() {
      consumer.assign(List.of(new TopicPartition(Topics.SCANS, 0)));
    }

    @Override
    public void poll() {
      consumer.poll(Duration.ofSeconds(10));
    }

    @Override
    public void finish() {
      finished.incrementAndGet();
    }

    @Override
    public void release() {
      released.incrementAndGet();
    }
  }

  private TransactionalLoop loop(final Duration stopWait, final Clock clock) {
    return new TransactionalLoop("test worker", consumer, producer, stopWait, clock, new Polling());
  }

  @Test
  void closeBeforeStartClosesTheClientsAndCountsAsStopped() throws Exception {
    final TransactionalLoop loop = loop(WAIT, new ManualClock());
    assertThat(loop.state()).isEqualTo(WorkerState.CREATED);

    loop.close();

    assertThat(loop.state()).isEqualTo(WorkerState.STOPPED);
    assertThat(loop.awaitStopped(Duration.ZERO)).isTrue();
    assertThat(loop.failure()).isEmpty();
    assertThat(released).hasValue(1);
    assertThatThrownBy(loop::start)
        .as("a closed worker does not start")
        .isInstanceOf(IllegalStateException.class);
    assertClosed();
  }

  @Test
  void closeWakesARunningLoopWhichFinishesItsWorkInHand() throws Exception {
    final TransactionalLoop loop = loop(WAIT, Clock.systemUTC());
    loop.start();
    assertThat(loop.awaitRunning(WAIT)).isTrue();

    loop.close();

    assertThat(loop.state()).isEqualTo(WorkerState.STOPPED);
    assertThat(finished).hasValue(1);
    assertThat(released).hasValue(1);
    assertThatThrownBy(loop::start)
        .as("a loop runs once")
        .isInstanceOf(IllegalStateException.class);
    loop.close(); // idempotent
    assertThat(loop.state()).isEqualTo(WorkerState.STOPPED);
    assertClosed();
  }

  @Test
  void closeGivesUpAfterTheStopWaitOnItsClock() throws Exception {
    final ManualClock clock = new ManualClock();
    final CountDownLatch stuck = new CountDownLatch(1);
    final TransactionalLoop loop =
        new TransactionalLoop(
            "test worker",
            consumer,
            producer,
            Duration.ofSeconds(30),
            clock,
            new TransactionalLoop.Body() {
              @Override
              public void open() {}

              @Override
              public void poll() {
                try {
                  stuck.await(); // a poll that does not see the wakeup
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            });
    loop.start();
    assertThat(loop.awaitRunning(Duration.ofSeconds(1))).isTrue();
    final Thread closer = new Thread(loop::close, "closer");
    closer.start();
    while (closer.getState() != Thread.State.TIMED_WAITING) {
      Thread.onSpinWait(); // close waits, its deadline taken from the clock
    }

    clock.advance(Duration.ofSeconds(29));
    assertThat(closer.isAlive()).as("the clock has not reached the stop wait").isTrue();
    clock.advance(Duration.ofSeconds(1));
    closer.join(5_000);

    assertThat(closer.isAlive()).as("close gave up at the stop wait").isFalse();
    assertThat(loop.state()).isEqualTo(WorkerState.STOPPING);
    stuck.countDown();
    assertThat(loop.awaitStopped(Duration.ofSeconds(1))).isTrue(); // the clock stands still
    assertThat(loop.state()).isEqualTo(WorkerState.STOPPED);
  }

  @Test
  void aLoopThatDiesShowsFailedWithItsCauseAndClosesTheClientsAtOnce() throws Exception {
    final IllegalStateException cause = new IllegalStateException("crash");
    final TransactionalLoop loop =
        new TransactionalLoop(
            "test worker",
            consumer,
            producer,
            WAIT,
            Clock.systemUTC(),
            new TransactionalLoop.Body() {
              @Override
              public void open() {}

              @Override
              public void poll() {
                throw cause;
              }

              @Override
              public void finish() {
                finished.incrementAndGet();
              }

              @Override
              public void release() {
                released.incrementAndGet();
              }
            });
    loop.start();

    assertThat(loop.awaitStopped(WAIT)).isTrue();
    assertThat(loop.state()).isEqualTo(WorkerState.FAILED);
    assertThat(loop.failure()).containsSame(cause);
    assertThat(loop.hasFailed()).isTrue();
    assertThat(finished).as("no commit after a failure").hasValue(0);
    assertThat(released).hasValue(1);
    assertThat(loop.awaitRunning(Duration.ZERO)).isFalse();
    loop.close();
    assertThat(loop.state()).as("close keeps the failure").isEqualTo(WorkerState.FAILED);
    assertClosed();
  }
}
