package io.medsam.stream.dicom.follower;

import io.medsam.stream.avro.OrthancPosition;
import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.dicom.orthanc.OrthancServers;
import io.medsam.stream.topology.ClientConfigs;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Orthanc bridge worker: follows {@code GET /changes?since=&limit=} of every configured Orthanc
 * and, for each {@code StableSeries} of an image series, publishes one ScanEvent (key: the series'
 * SeriesInstanceUID) to medsam.scans.v1. Each page of changes is one Kafka transaction holding its
 * ScanEvents and the new position on {@link Topics#ORTHANC_POSITIONS}; at start the positions are
 * read back (read_committed, after {@code initTransactions} has aborted a crashed predecessor's
 * open transaction), so every series is announced exactly once across restarts and crashes.
 *
 * <p>The transactional id is {@code medsam-orthanc-<names>} (the followed Orthancs' names), not the
 * instance id: a second bridge following the same Orthancs fences the first instead of announcing
 * beside it. An unreachable Orthanc is retried every {@link OrthancFeed#RETRY} without stopping the
 * others.
 */
public final class OrthancFollower implements Worker {

  /** Test seam: runs after a transaction's records are sent and before it commits. */
  interface BeforeCommit {
    void run(String server, List<ScanEvent> events);
  }

  private static final Logger LOG = LoggerFactory.getLogger(OrthancFollower.class);

  /** The prefix of the transactional id and the consumer group of the role. */
  public static final String GROUP = "medsam-orthanc";

  /** How long the loop waits when every feed is done. */
  static final Duration IDLE = Duration.ofMillis(500);

  private final String name;
  private final List<OrthancFeed> feeds = new ArrayList<>();
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> producer;
  private final AvroCodec<ScanEvent> scanCodec = AvroCodec.of(ScanEvent.class);
  private final AvroCodec<OrthancPosition> positionCodec = AvroCodec.of(OrthancPosition.class);
  private final Clock clock;
  private final BeforeCommit beforeCommit;
  private final Counter announced;
  private final Counter skipped;
  private final Counter feedErrors;
  private final TransactionalLoop loop;

  /**
   * @param bootstrapServers Kafka bootstrap servers
   * @param servers the Orthancs to follow (at least one)
   * @param clientOverrides extra client properties (tests shorten timeouts with these)
   * @param registry where medsam.orthanc.{series.announced,series.skipped,feed.errors} go
   */
  public OrthancFollower(
      final String bootstrapServers,
      final OrthancServers servers,
      final Map<String, Object> clientOverrides,
      final MeterRegistry registry) {
    this(bootstrapServers, servers, clientOverrides, registry, Clock.systemUTC(), (s, e) -> {});
  }

  OrthancFollower(
      final String bootstrapServers,
      final OrthancServers servers,
      final Map<String, Object> clientOverrides,
      final MeterRegistry registry,
      final Clock clock,
      final BeforeCommit beforeCommit) {
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("the Orthanc bridge needs --orthanc [NAME=]URL");
    }
    this.name = transactionalId(servers);
    for (final String server : servers.names()) {
      feeds.add(new OrthancFeed(server, servers.client(server).orElseThrow()));
    }
    this.clock = clock;
    this.beforeCommit = beforeCommit;
    final Map<String, Object> consumerProps =
        new HashMap<>(ClientConfigs.consumer(bootstrapServers, GROUP));
    consumerProps.remove(ConsumerConfig.GROUP_ID_CONFIG); // positions are read by assignment
    consumerProps.put(ConsumerConfig.CLIENT_ID_CONFIG, name + "-positions");
    consumerProps.putAll(clientOverrides);
    this.consumer =
        new KafkaConsumer<>(
            consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.producer =
        new KafkaProducer<>(
            KafkaClients.transactionalWorkerProducer(bootstrapServers, name, clientOverrides),
            new ByteArraySerializer(),
            new ByteArraySerializer());
    this.announced = registry.counter("medsam.orthanc.series.announced", "instance", name);
    this.skipped = registry.counter("medsam.orthanc.series.skipped", "instance", name);
    this.feedErrors = registry.counter("medsam.orthanc.feed.errors", "instance", name);
    this.loop =
        new TransactionalLoop(
            name,
            consumer,
            producer,
            Duration.ofSeconds(60),
            clock,
            new TransactionalLoop.Body() {
              @Override
              public void open() {
                producer.initTransactions();
                final Map<String, Long> positions =
                    FeedPositions.read(consumer, positionCodec, clock);
                for (final OrthancFeed feed : feeds) {
                  feed.advanceTo(positions.getOrDefault(feed.server(), 0L));
                  LOG.info(
                      "{} follows Orthanc {} at {} from change {}",
                      name,
                      feed.server(),
                      feed.client().base(),
                      feed.position());
                }
              }

              @Override
              public void poll() {
                boolean more = false;
                for (final OrthancFeed feed : feeds) {
                  if (feed.due(clock.instant())) {
                    more |= follow(feed);
                  }
                }
                if (!more) {
                  consumer.poll(IDLE); // a wait that close() wakes; only our own positions come
                }
              }
            });
  }

  /** {@code medsam-orthanc-<name>[+<name>...]}, the followed Orthancs' names sorted. */
  public static String transactionalId(final OrthancServers servers) {
    return GROUP + "-" + String.join("+", servers.names());
  }

  /** Announces one page of {@code feed}; true when the feed has more right now. */
  private boolean follow(final OrthancFeed feed) {
    final Optional<OrthancFeed.Page> page = feed.next(clock.instant(), feedErrors::increment);
    if (page.isEmpty() || !commit(feed, page.get().events(), page.get().last())) {
      return false;
    }
    skipped.increment(page.get().notImages());
    return !page.get().done();
  }

  /** One transaction: the page's ScanEvents and the new position; false when it was aborted. */
  private boolean commit(final OrthancFeed feed, final List<ScanEvent> events, final long last) {
    producer.beginTransaction();
    try {
      for (final ScanEvent e : events) {
        producer.send(
            new ProducerRecord<>(
                Topics.SCANS,
                e.getSeriesUid().getBytes(StandardCharsets.UTF_8),
                scanCodec.encode(e)));
      }
      producer.send(
          new ProducerRecord<>(
              Topics.ORTHANC_POSITIONS,
              feed.server().getBytes(StandardCharsets.UTF_8),
              positionCodec.encode(
                  FeedPositions.of(feed.server(), last, events.size(), clock.instant()))));
      producer.flush(); // what commit does first; the test seam sees the records sent
      beforeCommit.run(feed.server(), events);
      producer.commitTransaction();
    } catch (final KafkaException e) {
      if (KafkaClients.isFatal(e)) {
        throw e;
      }
      LOG.warn(
          "{}: transaction for Orthanc {} changes {}..{} failed, asking again: {}",
          name,
          feed.server(),
          feed.position(),
          last,
          e.toString());
      producer.abortTransaction();
      return false;
    }
    for (final ScanEvent e : events) {
      LOG.info(
          "announced Orthanc {} series {} as {} (scan {})",
          feed.server(),
          e.getOrthanc().getSeriesId(),
          e.getSeriesUid(),
          e.getScanId());
    }
    announced.increment(events.size());
    feed.advanceTo(last);
    return true;
  }

  /** Series announced by this worker so far. */
  public double seriesAnnounced() {
    return announced.count();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public WorkerStatus status() {
    return loop.status();
  }

  /** Starts following on a thread named after the transactional id. */
  @Override
  public void start() {
    loop.start();
  }

  /** Commits the page in hand, then closes the clients. */
  @Override
  public void close() {
    loop.close();
  }
}
