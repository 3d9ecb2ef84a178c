package io.medsam.stream.trainer.publish;

import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.records.weights.WeightsSigner;
import io.medsam.stream.topology.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.ProducerRecord;
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
 * leaves no fenced producer behind. The shared transactional id orders publications; it does not
 * keep two trainers of one model apart (each would open its own transaction in turn and both
 * versions would be committed): {@link TrainerLease} does, and a publisher {@link #heldBy} a lease
 * publishes nothing once the lease is lost.
 *
 * <p>A publisher {@link #signedBy} a key signs every record it writes (trained versions, rejected
 * verdicts and rollbacks, each signed afresh: a rollback's record differs from the one it copies);
 * without a key, records are written unsigned (any earlier signature removed, since it no longer
 * matches) and a warning says so once.
 */
public final class WeightsPublisher {

  private static final Logger LOG = LoggerFactory.getLogger(WeightsPublisher.class);

  private final String bootstrapServers;
  private final String servingTopic;
  private final String historyTopic;
  private final Clock clock;
  private final AvroCodec<DecoderWeights> codec = AvroCodec.of(DecoderWeights.class);
  private final Optional<WeightsSigner> signer;
  private final Optional<TrainerLease> lease;
  private final AtomicBoolean warnedUnsigned = new AtomicBoolean();

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
    this(bootstrapServers, servingTopic, historyTopic, clock, Optional.empty(), Optional.empty());
  }

  private WeightsPublisher(
      final String bootstrapServers,
      final String servingTopic,
      final String historyTopic,
      final Clock clock,
      final Optional<WeightsSigner> signer,
      final Optional<TrainerLease> lease) {
    this.bootstrapServers = bootstrapServers;
    this.servingTopic = servingTopic;
    this.historyTopic = historyTopic;
    this.clock = clock;
    this.signer = signer;
    this.lease = lease;
  }

  /** A copy that signs every record it writes with {@code signer}. */
  public WeightsPublisher signedBy(final WeightsSigner signer) {
    return new WeightsPublisher(
        bootstrapServers, servingTopic, historyTopic, clock, Optional.of(signer), lease);
  }

  /** A copy that publishes only while {@code lease} is held (the trainer's). */
  public WeightsPublisher heldBy(final TrainerLease lease) {
    return new WeightsPublisher(
        bootstrapServers, servingTopic, historyTopic, clock, signer, Optional.of(lease));
  }

  /** The transactional id of every publication of {@code modelId}. */
  public static String transactionalId(final String modelId) {
    return "medsam-weights-" + modelId;
  }

  /**
   * Publishes one record to the history and the serving topic in one transaction and returns once
   * it is committed.
   *
   * @return the record written (signed when this publisher has a key)
   * @throws WeightsPublicationException if a write or the commit fails or times out; the
   *     transaction is then aborted and neither topic shows the record to committed readers
   */
  public DecoderWeights publish(final DecoderWeights unsigned, final Duration timeout)
      throws WeightsPublicationException {
    if (!WeightsHistory.isPublished(unsigned)) {
      throw new IllegalArgumentException(
          "rejected candidate " + unsigned.getVersion() + " must not reach " + servingTopic);
    }
    final DecoderWeights weights = sign(unsigned);
    final byte[] value = codec.encode(weights);
    commit(
        weights.getModelId(),
        List.of(
            new ProducerRecord<>(historyTopic, key(weights), value),
            new ProducerRecord<>(servingTopic, key(weights), value)),
        "weights " + weights.getVersion(),
        timeout);
    return weights;
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
        List.of(new ProducerRecord<>(historyTopic, key(rejected), codec.encode(sign(rejected)))),
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
    return publish(again, timeout);
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

  private DecoderWeights sign(final DecoderWeights w) {
    if (signer.isPresent()) {
      return signer.get().sign(w);
    }
    if (!warnedUnsigned.getAndSet(true)) {
      LOG.warn(
          "publishing decoder weights of {} unsigned (no --weights-signing-key): decoders that"
              + " verify signatures will refuse them",
          w.getModelId());
    }
    return DecoderWeights.newBuilder(w).setSignature(null).build();
  }

  private void commit(
      final String modelId,
      final List<ProducerRecord<byte[], byte[]>> records,
      final String what,
      final Duration timeout)
      throws WeightsPublicationException {
    if (lease.isPresent() && !lease.get().held()) {
      throw new WeightsPublicationException(
          what
              + " not published: this trainer lost the lease of model "
              + modelId
              + " (another trainer may be running)",
          null);
    }
    WeightsTransaction.commit(bootstrapServers, transactionalId(modelId), records, what, timeout);
  }

  private static byte[] key(final DecoderWeights weights) {
    return weights.getModelId().getBytes(StandardCharsets.UTF_8);
  }
}
