package io.medsam.stream.ingest;

import io.medsam.stream.avro.ImageSlice;
import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.avro.serde.RecordDecodingException;
import io.medsam.stream.dicom.orthanc.OrthancServers;
import io.medsam.stream.topology.DeadLetterProducer;
import io.medsam.stream.topology.KafkaClients;
import io.medsam.stream.topology.Topics;
import io.medsam.stream.topology.worker.TransactionalLoop;
import io.medsam.stream.topology.worker.Worker;
import io.medsam.stream.topology.worker.WorkerStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest worker: reads medsam.scans.v1 (read_committed, one scan per poll), slices each scan
 * with {@link ScanSlicer} and publishes its ImageSlices to medsam.slices.v1 in one transaction
 * together with the scan's offset. A record that is not a ScanEvent, or a scan whose source is
 * unreadable or unsupported, becomes exactly one DeadLetter (committed with the offset the same
 * way) and the worker moves on. A scan whose Orthanc does not answer is read again after {@link
 * #ORTHANC_RETRY}. Its loop runs on a thread of its own from {@link #start()}.
 */
public final class IngestWorker implements Worker {

  private static final Logger LOG = LoggerFactory.getLogger(IngestWorker.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final String COMPONENT = "ingest";

  /** The pause before a scan whose Orthanc did not answer is read again. */
  static final Duration ORTHANC_RETRY = Duration.ofSeconds(2);

  /** Default consumer group of the ingest workers. */
  public static final String DEFAULT_GROUP = "medsam-ingest";

  private final String transactionalId;
  private final ScanSlicer slicer;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> producer;
  private final AvroCodec<ScanEvent> scanCodec = AvroCodec.of(ScanEvent.class);
  private final AvroCodec<ImageSlice> sliceCodec = AvroCodec.of(ImageSlice.class);
  private final DeadLetterProducer deadLetterProducer;
  private final Counter scans;
  private final Counter slices;
  private final Counter deadLetters;
  private final TransactionalLoop loop;

  /**
   * A worker that reads no Orthanc (a scan naming one is a dead letter).
   *
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
    this(bootstrapServers, transactionalId, clientOverrides, registry, OrthancServers.none());
  }

  /**
   * @param bootstrapServers Kafka bootstrap servers
   * @param transactionalId stable per instance; a restart with the same id fences the old one
   * @param clientOverrides extra client properties (tests shorten timeouts with these)
   * @param registry where the meters medsam.ingest.{scans,slices,dead.letters} go
   * @param orthancs the Orthancs whose series it reads; a scan naming another is a dead letter
   */
  public IngestWorker(
      final String bootstrapServers,
      final String transactionalId,
      final Map<String, Object> clientOverrides,
      final MeterRegistry registry,
      final OrthancServers orthancs) {
    this.transactionalId = transactionalId;
    this.slicer = new ScanSlicer(new OrthancScans(orthancs));
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
                LOG.info("ingest worker {} consuming {}", transactionalId, Topics.SCANS);
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
    final List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
    Exception rejected = null;
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
      rejected = e;
    } catch (OrthancUnavailableException e) {
      LOG.warn(
          "scan at {}-{}@{}: {}; reading it again in {} s",
          record.topic(),
          record.partition(),
          record.offset(),
          e.getMessage(),
          ORTHANC_RETRY.toSeconds());
      pause();
      consumer.seek(new TopicPartition(record.topic(), record.partition()), record.offset());
      return;
    }
    producer.beginTransaction();
    try {
      out.forEach(producer::send);
      if (rejected != null) {
        deadLetterProducer.send(record, rejected);
      }
      producer.sendOffsetsToTransaction(
          Map.of(
              new TopicPartition(record.topic(), record.partition()),
              new OffsetAndMetadata(record.offset() + 1)),
          consumer.groupMetadata());
      producer.commitTransaction();
    } catch (KafkaException e) {
      if (KafkaClients.isFatal(e)) {
        throw e;
      }
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
    if (rejected != null) {
      deadLetters.increment();
    } else {
      scans.increment();
      slices.increment(out.size());
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
