package io.medsam.stream.trainer.publish;

import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.topology.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes DecoderWeights records keyed by decoder model id, and re-publishes earlier versions for
 * rollback. Each record goes to the weights history topic (kept forever; what {@link
 * WeightsHistory}, {@code weights list} and {@code weights rollback} read) and to the compacted
 * serving topic (what every decoder-worker follows) in one Kafka transaction: both are committed or
 * neither is, so the two topics never disagree.
 *
 * <p>Every publication of one model, from the trainer or from {@code medsam weights rollback} in
 * another process, uses the same transactional id ({@link #transactionalId}) with a producer of its
 * own. A writer that starts aborts a transaction of that model still open elsewhere, so
 * publications of a model are committed one after another and reach both topics in the same order.
 * Publications are rare (one per training run), so a producer per publication costs little and
 * leaves no fenced producer behind.
 */
public final class WeightsPublisher {

  private static final Logger LOG = LoggerFactory.getLogger(WeightsPublisher.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  private final String bootstrapServers;
  private final String servingTopic;
  private final String historyTopic;
  private final Clock clock;
  private final AvroCodec<DecoderWeights> codec = AvroCodec.of(DecoderWeights.class);

  /** Publishes to {@link Topics#DECODER_WEIGHTS_HISTORY} and {@link Topics#DECODER_WEIGHTS}. */
  public WeightsPublisher(final String bootstrapServers, final Clock clock) {
    this(bootstrapServers, Topics.DECODER_WEIGHTS, Topics.DECODER_WEIGHTS_HISTORY, clock);
  }

  /**
   * @param servingTopic the compacted topic decoders follow
   * @param historyTopic the topic that keeps every publication
   */
  public WeightsPublisher(
      final String bootstrapServers,
      final String servingTopic,
      final String historyTopic,
      final Clock clock) {
    this.bootstrapServers = bootstrapServers;
    this.servingTopic = servingTopic;
    this.historyTopic = historyTopic;
    this.clock = clock;
  }

  /** The transactional id of every publication of {@code modelId}. */
  public static String transactionalId(final String modelId) {
    return "medsam-weights-" + modelId;
  }

  /**
   * Publishes one record to the history and the serving topic in one transaction and returns once
   * it is committed.
   *
   * @throws WeightsPublicationException if a write or the commit fails or times out; the
   *     transaction is then aborted and neither topic shows the record to committed readers
   */
  public void publish(final DecoderWeights weights, final Duration timeout)
      throws WeightsPublicationException {
    if (!WeightsHistory.isPublished(weights)) {
      throw new IllegalArgumentException(
          "rejected candidate " + weights.getVersion() + " must not reach " + servingTopic);
    }
    final byte[] value = codec.encode(weights);
    commit(
        weights.getModelId(),
        List.of(
            new ProducerRecord<>(historyTopic, key(weights), value),
            new ProducerRecord<>(servingTopic, key(weights), value)),
        "weights " + weights.getVersion(),
        timeout);
  }

  /**
   * Records the gate's verdict on a rejected candidate (verdict REJECTED, no tensors) on the
   * history topic only, in a transaction of the model's transactional id like every publication:
   * {@code weights list} shows it, no decoder-worker ever sees it, and it is never the weights in
   * force.
   *
   * @throws IllegalArgumentException if the record is not a rejected verdict without tensors
   * @throws WeightsPublicationException if the write or the commit fails or times out
   */
  public void recordVerdict(final DecoderWeights rejected, final Duration timeout)
      throws WeightsPublicationException {
    if (WeightsHistory.isPublished(rejected) || !rejected.getTensors().isEmpty()) {
      throw new IllegalArgumentException(
          "a verdict record is a REJECTED candidate without tensors: " + rejected.getVersion());
    }
    commit(
        rejected.getModelId(),
        List.of(new ProducerRecord<>(historyTopic, key(rejected), codec.encode(rejected))),
        "verdict on " + rejected.getVersion(),
        timeout);
  }

  /**
   * Re-publishes version {@code toVersion} so that it is in force again. The new record keeps the
   * earlier version's name, tensors, parent and metrics (so every decoder serves and names it
   * exactly as before), with {@code rollbackOf} = the version it replaces and a new time.
   *
   * @param history the model's history, read from the history topic
   * @return the record published
   * @throws WeightsPublicationException if the version is not in the history, names a candidate the
   *     gate rejected (it has no weights), or publishing fails
   */
  public DecoderWeights rollback(
      final WeightsHistory history, final String toVersion, final Duration timeout)
      throws WeightsPublicationException {
    final DecoderWeights earlier =
        history
            .find(toVersion)
            .orElseThrow(
                () ->
                    new WeightsPublicationException(
                        "version " + toVersion + " is not on " + historyTopic, null));
    if (!WeightsHistory.isPublished(earlier)) {
      throw new WeightsPublicationException(
          "version "
              + toVersion
              + " is a candidate the gate rejected, never published: it has no weights to roll"
              + " back to (reason: "
              + earlier.getVerdictReason()
              + ")",
          null);
    }
    final String replaced = history.current().map(DecoderWeights::getVersion).orElse(null);
    final DecoderWeights again =
        DecoderWeights.newBuilder(earlier)
            .setRollbackOf(replaced)
            .setCreatedAt(clock.instant())
            .build();
    publish(again, timeout);
    return again;
  }

  /**
   * Copies records that predate the history topic (read from the serving topic) into the history,
   * unchanged and in one transaction, so that a deployment upgraded with versions on the serving
   * topic keeps them (and the weights in force) when the history becomes the source. Does nothing
   * when the model already has a history or no such records.
   *
   * @param history the model's history
   * @param serving the model's records on the serving topic with their tensors, oldest first
   *     ({@link WeightsHistory#readWithTensors})
   * @return the number of records copied
   * @throws WeightsPublicationException if the copy is not committed
   */
  public int adoptServingRecords(
      final WeightsHistory history, final List<DecoderWeights> serving, final Duration timeout)
      throws WeightsPublicationException {
    if (!history.isEmpty() || serving.isEmpty()) {
      return 0;
    }
    final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    serving.forEach(w -> records.add(new ProducerRecord<>(historyTopic, key(w), codec.encode(w))));
    commit(
        serving.get(0).getModelId(),
        records,
        serving.size() + " records from " + servingTopic,
        timeout);
    return serving.size();
  }

  private void commit(
      final String modelId,
      final List<ProducerRecord<byte[], byte[]>> records,
      final String what,
      final Duration timeout)
      throws WeightsPublicationException {
    final long deadline = System.nanoTime() + timeout.toNanos();
    final KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            ClientConfigs.transactionalProducer(bootstrapServers, transactionalId(modelId)),
            new ByteArraySerializer(),
            new ByteArraySerializer());
    try {
      try {
        producer.initTransactions();
        producer.beginTransaction();
      } catch (KafkaException e) {
        throw new WeightsPublicationException(what + " not published: no transaction", e);
      }
      try {
        final List<Future<RecordMetadata>> acks = new ArrayList<>();
        records.forEach(r -> acks.add(producer.send(r)));
        final List<RecordMetadata> written = new ArrayList<>();
        for (final Future<RecordMetadata> ack : acks) {
          written.add(ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        }
        producer.commitTransaction();
        awaitVisible(written, deadline, what);
      } catch (ExecutionException | TimeoutException | KafkaException e) {
        abort(producer, e);
        throw new WeightsPublicationException(what + " not published (aborted)", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        abort(producer, e);
        throw new WeightsPublicationException("interrupted publishing " + what, e);
      }
    } finally {
      producer.close(CLOSE_TIMEOUT);
    }
  }

  /**
   * Aborts the open transaction. When that fails too (the producer was fenced by a newer writer of
   * the model, or the broker is gone), the transaction stays open until the next writer of the
   * model starts or the coordinator's transaction timeout ends it, and it is aborted then: no
   * committed reader ever sees its records.
   */
  /**
   * Waits until read_committed readers see the records: commitTransaction returns once the commit
   * is decided, but the markers reach the partitions a little later, and a history read in between
   * (the next training run, a rollback right after) would miss the new record.
   */
  private void awaitVisible(
      final List<RecordMetadata> written, final long deadline, final String what) {
    final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    written.forEach(
        m -> latest.put(new TopicPartition(m.topic(), m.partition()), OffsetSpec.latest()));
    try (Admin admin = Admin.create(ClientConfigs.admin(bootstrapServers))) {
      while (System.nanoTime() < deadline) {
        final Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> stable =
            admin
                .listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all()
                .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (written.stream()
            .allMatch(
                m ->
                    stable.get(new TopicPartition(m.topic(), m.partition())).offset()
                        > m.offset())) {
          return;
        }
        Thread.sleep(20);
      }
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("{} committed; could not confirm it is visible yet: {}", what, e.toString());
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // committed; only the wait is cut short
      return;
    }
    LOG.warn("{} committed but not yet visible to read_committed readers", what);
  }

  private static void abort(final KafkaProducer<byte[], byte[]> producer, final Exception cause) {
    try {
      producer.abortTransaction();
    } catch (KafkaException e) {
      cause.addSuppressed(e);
    }
  }

  private static byte[] key(final DecoderWeights weights) {
    return weights.getModelId().getBytes(StandardCharsets.UTF_8);
  }
}
