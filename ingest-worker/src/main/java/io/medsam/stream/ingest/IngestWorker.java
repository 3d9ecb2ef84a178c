package io.medsam.stream.ingest;

import io.medsam.stream.dicom.orthanc.OrthancServers;
import io.medsam.stream.topology.DeadLetterProducer;
import io.medsam.stream.topology.KafkaClients;
import io.medsam.stream.topology.Topics;
import io.medsam.stream.topology.worker.TransactionalLoop;
import io.medsam.stream.topology.worker.Worker;
import io.medsam.stream.topology.worker.WorkerStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest worker: reads medsam.scans.v1 (read_committed, one scan per poll), slices each scan
 * with {@link ScanSlicer} and publishes its ImageSlices to medsam.slices.v1 in one transaction
 * together with the scan's offset. Every failure of one record ({@link ScanIngestion}: not a
 * ScanEvent; a source unreadable, outside the {@link ScanRoots} or past the {@link IngestLimits}; a
 * slice past the topic's size; any runtime exception or OutOfMemoryError on it) becomes exactly one
 * DeadLetter (committed with the offset the same way) and the worker moves on. A scan whose Orthanc
 * does not answer is read again after {@link #ORTHANC_RETRY}; a transaction that fails with a
 * retriable Kafka error is retried, at most {@link #MAX_TRANSACTION_ATTEMPTS} times in a row before
 * the worker fails. Its loop runs on a thread of its own from {@link #start()}.
 */
public final class IngestWorker implements Worker {

  private static final Logger LOG = LoggerFactory.getLogger(IngestWorker.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final String COMPONENT = "ingest";

  /** The pause before a scan whose Orthanc did not answer is read again. */
  static final Duration ORTHANC_RETRY = Duration.ofSeconds(2);

  /**
   * Transactions of one scan that may fail in a row (retriable Kafka errors) before the worker
   * stops as FAILED instead of retrying forever.
   */
  static final int MAX_TRANSACTION_ATTEMPTS = 5;

  /** Default consumer group of the ingest workers. */
  public static final String DEFAULT_GROUP = "medsam-ingest";

  private final String transactionalId;
  private final ScanIngestion ingestion;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> producer;
  private final DeadLetterProducer deadLetterProducer;
  private final Counter scans;
  private final Counter slices;
  private final Counter deadLetters;
  private final TransactionalLoop loop;

  /** Failed transactions in a row, on the loop's thread. */
  private int failedAttempts;

  /**
   * @param bootstrapServers Kafka bootstrap servers
   * @param transactionalId stable per instance; a restart with the same id fences the old one
   * @param clientOverrides extra client properties (tests shorten timeouts with these)
   * @param registry where the meters medsam.ingest.{scans,slices,dead.letters} go
   * @param orthancs the Orthancs whose series it reads; a scan naming another is a dead letter
   * @param roots the folders whose files it reads; a file elsewhere is a dead letter
   * @param limits how large a scan may be; a larger one is a dead letter
   */
  public IngestWorker(
      final String bootstrapServers,
      final String transactionalId,
      final Map<String, Object> clientOverrides,
      final MeterRegistry registry,
      final OrthancServers orthancs,
      final ScanRoots roots,
      final IngestLimits limits) {
    this.transactionalId = transactionalId;
    this.ingestion =
        new ScanIngestion(
            new ScanSlicer(new OrthancScans(orthancs), roots, limits),
            ScanIngestion.sliceTopicMaxBytes());
    this.consumer =
        new KafkaConsumer<>(
            KafkaClients.transactionalWorkerConsumer(
                bootstrapServers, DEFAULT_GROUP, transactionalId, 1, clientOverrides),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    this.producer =
        new KafkaProducer<>(
            KafkaClients.transactionalWorkerProducer(
                bootstrapServers, transactionalId, clientOverrides),
            new ByteArraySerializer(),
            new ByteArraySerializer());
    this.deadLetterProducer = new DeadLetterProducer(COMPONENT, producer, registry);
    this.scans = registry.counter("medsam.ingest.scans", "instance", transactionalId);
    this.slices = registry.counter("medsam.ingest.slices", "instance", transactionalId);
    this.deadLetters = registry.counter("medsam.ingest.dead.letters", "instance", transactionalId);
    this.loop =
        new TransactionalLoop(
            transactionalId,
            consumer,
            producer,
            Duration.ofSeconds(60),
            Clock.systemUTC(),
            new TransactionalLoop.Body() {
              @Override
              public void open() {
                producer.initTransactions();
                consumer.subscribe(List.of(Topics.SCANS));
                LOG.info(
                    "ingest worker {} consuming {} (scan roots: {}, {})",
                    transactionalId,
                    Topics.SCANS,
                    roots,
                    limits);
              }

              @Override
              public void poll() {
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                  handle(record);
                }
              }
            });
  }

  private void handle(final ConsumerRecord<byte[], byte[]> record) {
    final TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    final ScanIngestion.Outcome outcome;
    try {
      outcome = ingestion.process(record);
    } catch (OrthancUnavailableException e) {
      LOG.warn(
          "scan at {}-{}@{}: {}; reading it again in {} s",
          record.topic(),
          record.partition(),
          record.offset(),
          e.getMessage(),
          ORTHANC_RETRY.toSeconds());
      pause();
      consumer.seek(partition, record.offset());
      return;
    }
    producer.beginTransaction();
    try {
      outcome.slices().forEach(producer::send);
      if (outcome.rejected()) {
        producer.send(
            deadLetterProducer.record(
                new ConsumerRecord<>(
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    record.key(),
                    outcome.payload()),
                outcome.reason()));
      }
      producer.sendOffsetsToTransaction(
          Map.of(partition, new OffsetAndMetadata(record.offset() + 1)), consumer.groupMetadata());
      producer.commitTransaction();
    } catch (KafkaException e) {
      if (KafkaClients.isFatal(e)) {
        throw e;
      }
      failedAttempts++;
      if (failedAttempts >= MAX_TRANSACTION_ATTEMPTS) {
        throw new IllegalStateException(
            "the transaction for the scan at "
                + partition
                + "@"
                + record.offset()
                + " failed "
                + failedAttempts
                + " times in a row; stopping",
            e);
      }
      LOG.warn(
          "transaction for scan at {}-{}@{} failed (attempt {} of {}), retrying: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          failedAttempts,
          MAX_TRANSACTION_ATTEMPTS,
          e.toString());
      producer.abortTransaction();
      consumer.seek(partition, record.offset());
      return;
    }
    failedAttempts = 0;
    if (outcome.rejected()) {
      deadLetters.increment();
    } else {
      LOG.info(
          "scan {} (series {}): {} slices",
          outcome.scan().getScanId(),
          outcome.scan().getSeriesUid(),
          outcome.slices().size());
      scans.increment();
      slices.increment(outcome.slices().size());
    }
  }

  private static void pause() {
    try {
      Thread.sleep(ORTHANC_RETRY.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Scans published so far (not counting dead letters). */
  public double scansIngested() {
    return scans.count();
  }

  /** The transactional id. */
  @Override
  public WorkerStatus status() {
    return loop.status();
  }

  @Override
  public String name() {
    return transactionalId;
  }

  /** Starts the loop on a thread named after the transactional id. */
  @Override
  public void start() {
    loop.start();
  }

  /** Finishes the scan in hand, then closes the clients. */
  @Override
  public void close() {
    loop.close();
  }
}
