package io.medsam.stream.encoder;

import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.topology.DeadLetterProducer;
import io.medsam.stream.topology.KafkaClients;
import io.medsam.stream.topology.worker.TransactionalLoop;
import io.medsam.stream.topology.worker.Worker;
import io.medsam.stream.topology.worker.WorkerStatus;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The encoder worker: a read_committed consumer in group {@code medsam-encoder} on medsam.slices.v1
 * that collects up to B slices (or waits at most T after the first), runs one batched encoder call
 * and, in one Kafka transaction, publishes a SliceEmbedding per slice to medsam.embeddings.v1 (dead
 * letters for undecodable or malformed slices) together with the consumed offsets. Two stages
 * overlap: while batch n is sent and committed on the polling thread, batch n+1 is encoded on the
 * encoder thread. Batches encoded within the commit interval share a transaction (committed at once
 * when no slice is waiting), so its round trips are paid per interval, not per batch. A failed
 * transaction is aborted and the consumer rewinds to the last committed offsets, at most {@link
 * #MAX_ABORTS_IN_A_ROW} times in a row before the worker fails; a fenced producer (a newer instance
 * with the same transactional id) stops the worker as FAILED. Its loop runs on a thread of its own
 * from {@link #start()}.
 */
public final class EncoderWorker implements Worker {

  private static final Logger LOG = LoggerFactory.getLogger(EncoderWorker.class);

  /**
   * Transactions that may abort in a row (retriable Kafka errors) before the worker stops as FAILED
   * instead of rewinding forever.
   */
  static final int MAX_ABORTS_IN_A_ROW = 5;

  private final EncoderWorkerConfig config;
  private final SliceBatchEncoder encoder;
  private final EncodingStage encoding;
  private final EncoderMetrics metrics;
  private final TransactionProbe probe;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> producer;
  private final SliceBatcher batcher;
  private final TransactionalLoop loop;
  private final EmbeddingTransaction transaction;
  private final AutoCloseable ownedSession;

  /** Touched only by the polling thread (run loop and rebalance callbacks). */
  private InFlight inFlight;

  /**
   * A worker that encodes with {@code session}, which stays the caller's to close, and registers
   * its meters in {@code registry}.
   */
  public EncoderWorker(
      final EncoderWorkerConfig config,
      final ImageEncoderSession session,
      final MeterRegistry registry) {
    this(config, session, registry, TransactionProbe.NONE, () -> {});
  }

  /**
   * A worker with a session of its own on the bundle's encoder, closed when the worker stops.
   *
   * @throws BundleException when the bundle's encoder cannot be opened
   */
  public static EncoderWorker open(
      final EncoderWorkerConfig config,
      final ModelBundle bundle,
      final EncoderSessionOptions options,
      final MeterRegistry registry)
      throws BundleException {
    final ImageEncoderSession session = ImageEncoderSession.open(bundle, options);
    try {
      return new EncoderWorker(config, session, registry, TransactionProbe.NONE, session);
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
  }

  EncoderWorker(
      final EncoderWorkerConfig config,
      final ImageEncoderSession session,
      final MeterRegistry registry,
      final TransactionProbe probe,
      final AutoCloseable ownedSession) {
    this.config = config;
    this.ownedSession = ownedSession;
    this.encoder = new SliceBatchEncoder(session);
    this.metrics = new EncoderMetrics(registry, config.transactionalId());
    this.probe = probe;
    this.consumer =
        new KafkaConsumer<>(
            consumerProperties(config), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.producer =
        new KafkaProducer<>(
            producerProperties(config), new ByteArraySerializer(), new ByteArraySerializer());
    this.loop =
        new TransactionalLoop(
            config.transactionalId(),
            consumer,
            producer,
            Duration.ofSeconds(30),
            Clock.systemUTC(),
            new Loop());
    this.batcher =
        new SliceBatcher(consumer, config.maxBatchSize(), config.maxBatchWait(), metrics::lag);
    this.transaction = new EmbeddingTransaction(producer, consumer::groupMetadata, probe, metrics);
    this.encoding =
        new EncodingStage(
            encoder,
            metrics,
            new DeadLetterProducer("encoder", producer, registry),
            config.embeddingTopic(),
            config.transactionalId() + "-encode",
            config.maxSlicePixels());
  }

  static Map<String, Object> consumerProperties(final EncoderWorkerConfig config) {
    return KafkaClients.transactionalWorkerConsumer(
        config.bootstrapServers(),
        config.groupId(),
        config.transactionalId(),
        config.maxBatchSize(),
        config.clientOverrides());
  }

  static Map<String, Object> producerProperties(final EncoderWorkerConfig config) {
    return KafkaClients.transactionalWorkerProducer(
        config.bootstrapServers(), config.transactionalId(), config.clientOverrides());
  }

  /** The polling thread's work: batch, hand to the encoder thread, send, commit. */
  private final class Loop implements TransactionalLoop.Body {
    @Override
    public void open() {
      producer.initTransactions();
      consumer.subscribe(List.of(config.sliceTopic()), new CommitBeforeRevocation());
      LOG.info(
          "encoder worker {} consuming {} (group {}, B={}, T={} ms, encoder {})",
          config.transactionalId(),
          config.sliceTopic(),
          config.groupId(),
          config.maxBatchSize(),
          config.maxBatchWait().toMillis(),
          encoder.session().encoderModelId());
    }

    @Override
    public void poll() {
      final List<ConsumerRecord<byte[], byte[]>> batch =
          batcher.next(loop::isRunning, inFlight != null || transaction.isOpen());
      // encode this batch on the encoder thread while the previous one is sent here
      final InFlight next = batch.isEmpty() ? null : new InFlight(batch, encoding.submit(batch));
      if (!sendInFlightAndMaybeCommit(next == null)) {
        rewindAfterAbort(next);
        if (transaction.abortsInARow() >= MAX_ABORTS_IN_A_ROW) {
          throw new IllegalStateException(
              transaction.abortsInARow()
                  + " transactions in a row failed with retriable errors; stopping");
        }
        return;
      }
      inFlight = next;
    }

    @Override
    public void finish() {
      if (sendInFlightAndMaybeCommit(true)) {
        LOG.info(
            "encoder worker {} stopped after committing its work in hand",
            config.transactionalId());
      }
    }

    @Override
    public void release() {
      encoding.close();
      try {
        ownedSession.close();
      } catch (Exception e) {
        LOG.warn("closing the encoder session failed: {}", e.toString());
      }
    }
  }

  /** A batch whose encoding runs (or ran) on the encoder thread, not yet sent. */
  private record InFlight(
      List<ConsumerRecord<byte[], byte[]>> records, Future<EncodedRecords> result) {}

  /**
   * Sends the batch in flight (waiting for its encoding) into the open transaction and commits the
   * transaction when nothing else is waiting or the commit interval has passed.
   *
   * @return false when the transaction failed and was aborted (the caller rewinds)
   */
  private boolean sendInFlightAndMaybeCommit(final boolean idle) {
    try {
      if (inFlight != null) {
        final long left = config.commitInterval().toNanos() - transaction.ageNanos();
        if (transaction.isOpen()
            && !readyWithin(inFlight.result(), left)
            && !transaction.commit()) {
          // a transaction waits for the encoder at most until its commit interval is over (a
          // slow model would otherwise outlive transaction.timeout.ms): what is there is
          // committed first, while the batch still encodes
          return false;
        }
        final InFlight batch = inFlight;
        transaction.add(batch.records(), await(batch.result()));
        inFlight = null;
      }
      if (transaction.isOpen()
          && (idle || transaction.ageNanos() >= config.commitInterval().toNanos())) {
        return transaction.commit();
      }
      return true;
    } catch (KafkaException e) {
      if (KafkaClients.isFatal(e)) {
        throw e;
      }
      LOG.warn("sending to the transaction failed, aborting: {}", e.toString());
      metrics.error("transaction");
      transaction.abort();
      return false;
    }
  }

  /**
   * After an abort: drop the results of the batches not yet sent (the one in flight and {@code
   * next}) and read everything uncommitted again.
   */
  private void rewindAfterAbort(final InFlight next) {
    LOG.warn(
        "transaction of {} slices aborted; rewinding to the last committed offsets",
        transaction.consumed().size());
    final List<ConsumerRecord<byte[], byte[]>> uncommitted =
        new ArrayList<>(transaction.consumed());
    for (final InFlight pending : new InFlight[] {inFlight, next}) {
      if (pending != null) {
        discard(pending);
        uncommitted.addAll(pending.records());
      }
    }
    inFlight = null;
    batcher.rewind(uncommitted);
    transaction.reset();
  }

  private static boolean readyWithin(final Future<EncodedRecords> result, final long nanos) {
    if (result.isDone()) {
      return true;
    }
    if (nanos <= 0) {
      return false;
    }
    try {
      result.get(nanos, TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return true; // await() reports it
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static EncodedRecords await(final Future<EncodedRecords> result) {
    try {
      return result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the encoder", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the encoder thread failed", e.getCause());
    }
  }

  private static void discard(final InFlight batch) {
    if (batch != null) {
      try {
        batch.result().get();
      } catch (ExecutionException e) {
        LOG.debug("discarded batch had failed to encode: {}", e.getCause().toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Commits the work in hand before partitions go (their offsets are still ours to commit), and
   * aborts it when they were lost (another member may already own them).
   */
  private final class CommitBeforeRevocation implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(final Collection<TopicPartition> partitions) {
      LOG.info("encoder worker {} loses {}", config.transactionalId(), partitions);
      if (loop.hasFailed()) {
        return; // a failed worker touches nothing: its successor aborts what it left open
      }
      batcher.drop(partitions);
      if (!sendInFlightAndMaybeCommit(true)) {
        rewindAfterAbort(null);
      }
    }

    @Override
    public void onPartitionsLost(final Collection<TopicPartition> partitions) {
      LOG.warn(
          "encoder worker {} lost {} without revocation", config.transactionalId(), partitions);
      if (loop.hasFailed()) {
        return;
      }
      batcher.drop(partitions);
      final InFlight pending = inFlight;
      inFlight = null;
      transaction.abort();
      rewindAfterAbort(pending);
    }

    @Override
    public void onPartitionsAssigned(final Collection<TopicPartition> partitions) {
      LOG.info("encoder worker {} owns {}", config.transactionalId(), partitions);
    }
  }

  /** Slices committed by this worker so far. */
  public double slicesEncoded() {
    return metrics.slicesEncoded();
  }

  /** The transactional id. */
  @Override
  public WorkerStatus status() {
    return loop.status();
  }

  @Override
  public String name() {
    return config.transactionalId();
  }

  /** Starts the polling loop on a thread named after the transactional id. */
  @Override
  public void start() {
    loop.start();
  }

  /**
   * Stops after the current batch: commits it, then closes the clients (and the session when the
   * worker owns it).
   */
  @Override
  public void close() {
    loop.close();
  }
}
