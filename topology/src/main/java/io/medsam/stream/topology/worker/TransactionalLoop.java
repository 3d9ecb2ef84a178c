package io.medsam.stream.topology.worker;

import io.medsam.stream.topology.KafkaClients;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Worker} whose consume-produce loop runs once, on a thread of its own, with a consumer
 * and a producer that it owns: {@link Body#open()}, then {@link Body#poll()} while running. {@link
 * #close()} wakes the consumer; the loop then {@link Body#finish() finishes} its work in hand and
 * closes the clients, and close waits for that at most the stop wait. An error in the loop records
 * FAILED and closes the clients at once, like a crashed process: no commit and no abort (a
 * successor with the same transactional id aborts what was left open).
 */
public final class TransactionalLoop implements Worker {

  /** What the loop runs; every method is called on the loop's thread. */
  public interface Body {
    /** Gets the clients ready (init transactions, subscribe); the worker runs once it returns. */
    void open();

    /** Polls once and handles what came. */
    void poll();

    /** After close woke the loop: sends and commits the work in hand. */
    default void finish() {}

    /** Releases what the body holds besides the clients, however the loop ended. */
    default void release() {}
  }

  private static final Logger LOG = LoggerFactory.getLogger(TransactionalLoop.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  private final String name;
  private final Consumer<?, ?> consumer;
  private final Producer<?, ?> producer;
  private final Duration stopWait;
  private final Body body;
  private final StateTracker tracker;
  private volatile boolean stopRequested;
  private volatile boolean failing;

  /**
   * @param name the worker in log lines and the loop's thread name
   * @param consumer the loop's consumer
   * @param producer the loop's producer
   * @param stopWait how long {@link #close()} waits for a running loop to end
   * @param clock what the stop wait and the awaits are measured on
   * @param body the loop's work
   */
  public TransactionalLoop(
      final String name,
      final Consumer<?, ?> consumer,
      final Producer<?, ?> producer,
      final Duration stopWait,
      final Clock clock,
      final Body body) {
    this.name = Objects.requireNonNull(name, "name");
    this.consumer = Objects.requireNonNull(consumer, "consumer");
    this.producer = Objects.requireNonNull(producer, "producer");
    this.stopWait = Objects.requireNonNull(stopWait, "stopWait");
    this.body = Objects.requireNonNull(body, "body");
    this.tracker = new StateTracker(clock);
  }

  @Override
  public WorkerStatus status() {
    return tracker;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void start() {
    if (!tracker.starting()) {
      throw new IllegalStateException(name + " was started or closed before; it runs once");
    }
    final Thread thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Whether the loop should go on: not asked to close, not failed. */
  public boolean isRunning() {
    return !stopRequested && !failing;
  }

  /** Whether the loop has failed (true from the moment it starts closing the clients on it). */
  public boolean hasFailed() {
    return failing;
  }

  private void run() {
    try {
      body.open();
      tracker.running();
      try {
        while (isRunning()) {
          body.poll();
        }
      } catch (WakeupException e) {
        // close() woke the consumer: finish the work in hand
      }
      body.finish();
      KafkaClients.closeQuietly(consumer, producer, CLOSE_TIMEOUT);
      release();
      tracker.stopped();
    } catch (WakeupException e) {
      KafkaClients.closeQuietly(consumer, producer, CLOSE_TIMEOUT); // woken while opening
      release();
      tracker.stopped();
    } catch (RuntimeException | Error e) {
      if (e instanceof ProducerFencedException
          || e instanceof FencedInstanceIdException
          || e instanceof InvalidProducerEpochException) {
        LOG.warn("{} was fenced by a newer instance; stopping", name);
      } else {
        LOG.error("{} stopped", name, e);
      }
      failing = true;
      KafkaClients.closeQuietly(consumer, producer, Duration.ZERO);
      release();
      tracker.fail(e);
    }
  }

  private void release() {
    try {
      body.release();
    } catch (RuntimeException e) {
      LOG.warn("{}: releasing failed: {}", name, e.toString());
    }
  }

  /** Stops the loop after the work in hand, waiting for it at most the stop wait. */
  @Override
  public void close() {
    stopRequested = true;
    final WorkerState before = tracker.stopping();
    if (before == WorkerState.CREATED) {
      KafkaClients.closeQuietly(consumer, producer, CLOSE_TIMEOUT);
      release();
      tracker.stopped();
      return;
    }
    if (before != WorkerState.STOPPING && !before.isTerminal()) {
      consumer.wakeup();
    }
    try {
      if (!tracker.awaitStopped(stopWait)) {
        LOG.warn("{} did not stop within {} s", name, stopWait.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
