package io.medsam.stream.ingest;

import io.medsam.stream.avro.DeadLetter;
import io.medsam.stream.avro.ImageSlice;
import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.avro.serde.RecordDecodingException;
import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.topology.DeadLetters;
import io.medsam.stream.topology.KafkaClients;
import io.medsam.stream.topology.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest worker: reads medsam.scans.v1 (read_committed, one scan per poll), slices each scan
 * with {@link ScanSlicer} and publishes its ImageSlices to medsam.slices.v1 in one transaction
 * together with the scan's offset. A record that is not a ScanEvent, or a scan whose source is
 * unreadable or unsupported, becomes exactly one DeadLetter (committed with the offset the same
 * way) and the worker moves on.
 */
public final class IngestWorker implements Runnable, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(IngestWorker.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final String COMPONENT = "ingest";

  /** Default consumer group of the ingest workers. */
  public static final String DEFAULT_GROUP = "medsam-ingest";

  private final String transactionalId;
  private final ScanSlicer slicer;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> producer;
  private final AvroCodec<ScanEvent> scanCodec = AvroCodec.of(ScanEvent.class);
  private final AvroCodec<ImageSlice> sliceCodec = AvroCodec.of(ImageSlice.class);
  private final AvroCodec<DeadLetter> deadLetterCodec = AvroCodec.of(DeadLetter.class);
  private final Counter scans;
  private final Counter slices;
  private final Counter deadLetters;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicBoolean started = new AtomicBoolean(false);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile Throwable failure;

  /**
   * @param bootstrapServers Kafka bootstrap servers
   * @param transactionalId stable per instance; a restart with the same id fences the old one
   * @param clientOverrides extra client properties (tests shorten timeouts with these)
   * @param registry where the meters medsam.ingest.{scans,slices,dead.letters} go
   */
  public IngestWorker(
      final String bootstrapServers,
      final String transactionalId,
      final Map<String, Object> clientOverrides,
      final MeterRegistry registry) {
    this.transactionalId = transactionalId;
    this.slicer = new ScanSlicer();
    final Map<String, Object> consumerProps =
        new HashMap<>(ClientConfigs.consumer(bootstrapServers, DEFAULT_GROUP));
    consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
    consumerProps.put(ConsumerConfig.CLIENT_ID_CONFIG, transactionalId + "-consumer");
    consumerProps.putAll(clientOverrides);
    final Map<String, Object> producerProps =
        new HashMap<>(ClientConfigs.transactionalProducer(bootstrapServers, transactionalId));
    producerProps.putAll(clientOverrides);
    this.consumer =
        new KafkaConsumer<>(
            consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.producer =
        new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
    this.scans = registry.counter("medsam.ingest.scans", "instance", transactionalId);
    this.slices = registry.counter("medsam.ingest.slices", "instance", transactionalId);
    this.deadLetters = registry.counter("medsam.ingest.dead.letters", "instance", transactionalId);
  }

  @Override
  public void run() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("an ingest worker runs once");
    }
    try {
      producer.initTransactions();
      consumer.subscribe(List.of(Topics.SCANS));
      LOG.info("ingest worker {} consuming {}", transactionalId, Topics.SCANS);
      while (running.get()) {
        for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
          handle(record);
        }
      }
      closeClients(Duration.ofSeconds(10));
    } catch (WakeupException e) {
      closeClients(Duration.ofSeconds(10));
    } catch (RuntimeException | Error e) {
      LOG.error("ingest worker {} stopped", transactionalId, e);
      failure = e;
      running.set(false);
      closeClients(Duration.ZERO);
    } finally {
      stopped.countDown();
    }
  }

  private void handle(final ConsumerRecord<byte[], byte[]> record) {
    final List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
    boolean deadLettered = false;
    try {
      final ScanEvent scan =
          scanCodec.decode(record.value(), record.topic(), record.partition(), record.offset());
      for (final ImageSlice slice : slicer.slice(scan)) {
        out.add(
            new ProducerRecord<>(
                Topics.SLICES,
                slice.getSliceKey().getBytes(StandardCharsets.UTF_8),
                sliceCodec.encode(slice)));
      }
      LOG.info("scan {} ({}): {} slices", scan.getScanId(), scan.getSourceUri(), out.size());
    } catch (RecordDecodingException | UnreadableScanException e) {
      out.clear();
      out.add(deadLetter(record, e));
      deadLettered = true;
    }
    producer.beginTransaction();
    try {
      out.forEach(producer::send);
      producer.sendOffsetsToTransaction(
          Map.of(
              new TopicPartition(record.topic(), record.partition()),
              new OffsetAndMetadata(record.offset() + 1)),
          consumer.groupMetadata());
      producer.commitTransaction();
    } catch (ProducerFencedException
        | FencedInstanceIdException
        | InvalidProducerEpochException
        | OutOfOrderSequenceException
        | UnsupportedVersionException
        | AuthorizationException e) {
      throw e;
    } catch (KafkaException e) {
      LOG.warn(
          "transaction for scan at {}-{}@{} failed, retrying: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.toString());
      producer.abortTransaction();
      consumer.seek(new TopicPartition(record.topic(), record.partition()), record.offset());
      return;
    }
    if (deadLettered) {
      deadLetters.increment();
    } else {
      scans.increment();
      slices.increment(out.size());
    }
  }

  private ProducerRecord<byte[], byte[]> deadLetter(
      final ConsumerRecord<byte[], byte[]> record, final Exception reason) {
    final String key =
        record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    LOG.warn(
        "dead-lettering scan {}-{}@{} (key {}): {}",
        record.topic(),
        record.partition(),
        record.offset(),
        key,
        reason.getMessage());
    final DeadLetter letter =
        DeadLetters.of(
            record.topic(),
            record.partition(),
            record.offset(),
            key,
            COMPONENT,
            reason,
            record.value());
    return new ProducerRecord<>(Topics.DEAD_LETTERS, record.key(), deadLetterCodec.encode(letter));
  }

  private void closeClients(final Duration timeout) {
    KafkaClients.closeQuietly(consumer, producer, timeout);
  }

  /** Scans published so far (not counting dead letters). */
  public double scansIngested() {
    return scans.count();
  }

  /** The exception that stopped the worker, or null. */
  public Throwable failure() {
    return failure;
  }

  /** Waits for {@link #run} to return. */
  public boolean awaitStopped(final Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Finishes the scan in hand, then closes the clients. */
  @Override
  public void close() {
    running.set(false);
    if (started.compareAndSet(false, true)) {
      closeClients(Duration.ofSeconds(10));
      stopped.countDown();
      return;
    }
    consumer.wakeup();
    try {
      if (!stopped.await(60, TimeUnit.SECONDS)) {
        LOG.warn("ingest worker {} did not stop within 60 s", transactionalId);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
