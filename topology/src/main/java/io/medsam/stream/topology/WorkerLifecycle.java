package io.medsam.stream.topology;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start and stop of a worker whose consume-produce loop runs once, on one thread, with a consumer
 * and a producer that the worker owns. The loop runs while {@link #isRunning()}, ends with {@link
 * #closeClients()} or, on an error, {@link #fail}, and finally calls {@link #markStopped()}. {@link
 * #close()} may come from any thread: it wakes the consumer and waits a while for the loop to end;
 * before the loop started it closes the clients itself.
 */
public final class WorkerLifecycle implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerLifecycle.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  private final String name;
  private final Consumer<?, ?> consumer;
  private final Producer<?, ?> producer;
  private final Duration stopWait;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicBoolean started = new AtomicBoolean(false);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile Throwable failure;

  /**
   * @param name the worker in log lines, e.g. {@code ingest worker ingest-1}
   * @param consumer the loop's consumer
   * @param producer the loop's producer
   * @param stopWait how long {@link #close()} waits for a running loop to end
   */
  public WorkerLifecycle(
      final String name,
      final Consumer<?, ?> consumer,
      final Producer<?, ?> producer,
      final Duration stopWait) {
    this.name = Objects.requireNonNull(name, "name");
    this.consumer = Objects.requireNonNull(consumer, "consumer");
    this.producer = Objects.requireNonNull(producer, "producer");
    this.stopWait = Objects.requireNonNull(stopWait, "stopWait");
  }

  /** Marks the loop started: false when it started (or the worker was closed) before. */
  public boolean start() {
    return started.compareAndSet(false, true);
  }

  /** Whether the loop should go on: not closed, not failed. */
  public boolean isRunning() {
    return running.get();
  }

  /** Closes the consumer, then the producer, giving each 10 s: a loop's normal end. */
  public void closeClients() {
    KafkaClients.closeQuietly(consumer, producer, CLOSE_TIMEOUT);
  }

  /**
   * Records why the loop stops and closes the clients at once, like a crashed process: no commit
   * and no abort; a successor with the same transactional id aborts what was left open.
   */
  public void fail(final Throwable cause) {
    failure = cause;
    running.set(false);
    KafkaClients.closeQuietly(consumer, producer, Duration.ZERO);
  }

  /** The exception that stopped the loop, or null. */
  public Throwable failure() {
    return failure;
  }

  /** Called by the loop when it has ended, whatever the reason. */
  public void markStopped() {
    stopped.countDown();
  }

  /** Waits for the loop to end; true when it did within {@code timeout}. */
  public boolean awaitStopped(final Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops the loop after the work in hand, waiting for it at most the stop wait. */
  @Override
  public void close() {
    running.set(false);
    if (started.compareAndSet(false, true)) {
      closeClients();
      stopped.countDown();
      return;
    }
    consumer.wakeup();
    try {
      if (!stopped.await(stopWait.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("{} did not stop within {} s", name, stopWait.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
