package io.medsam.stream.trainer.intake;

import io.medsam.stream.avro.Correction;
import io.medsam.stream.avro.DeadLetter;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.avro.serde.RecordDecodingException;
import io.medsam.stream.topology.DeadLetterProducer;
import io.medsam.stream.topology.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The intake's decisions, free of any consumer loop: knows where the latest embedding of each slice
 * is (and holds the bytes only of slices with pairs), parks corrections whose embedding has not
 * arrived, and turns each correction into a pair or a dead letter. Single-threaded (the intake
 * thread).
 */
final class IntakeProcessor {

  private static final Logger LOG = LoggerFactory.getLogger(IntakeProcessor.class);

  private final String correctionsTopic;
  private final CorrectionValidator validator;
  private final PairStore store;
  private final DeadLetterLedger ledger;
  private final DeadLetterProducer deadLetters;
  private final Duration embeddingTimeout;
  private final PendingCorrections pending;
  private final Clock clock;
  private final AvroCodec<Correction> corrections = AvroCodec.of(Correction.class);
  private final AvroCodec<SliceEmbedding> embeddingCodec = AvroCodec.of(SliceEmbedding.class);
  private final EmbeddingIndex embeddings = new EmbeddingIndex();
  private final Function<EmbeddingIndex.Location, Optional<SliceEmbedding>> fetch;
  private final IntakeCounts counts = new IntakeCounts();

  IntakeProcessor(
      final String correctionsTopic,
      final CorrectionValidator validator,
      final PairStore store,
      final DeadLetterLedger ledger,
      final DeadLetterProducer deadLetters,
      final Duration embeddingTimeout,
      final int maxPending,
      final Function<EmbeddingIndex.Location, Optional<SliceEmbedding>> fetch,
      final Clock clock) {
    this.correctionsTopic = correctionsTopic;
    this.validator = validator;
    this.store = store;
    this.ledger = ledger;
    this.deadLetters = deadLetters;
    this.embeddingTimeout = embeddingTimeout;
    this.pending = new PendingCorrections(maxPending);
    this.fetch = fetch;
    this.clock = clock;
  }

  IntakeCounts counts() {
    return counts;
  }

  /** Slices whose embedding bytes the intake holds (only those with pairs). */
  int embeddingsHeld() {
    return embeddings.loadedCount();
  }

  int pendingCount() {
    return pending.size();
  }

  OptionalLong lowestPendingOffset(final int partition) {
    return pending.lowestOffset(partition);
  }

  void onEmbedding(final ConsumerRecord<byte[], byte[]> r) {
    final String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    if (r.value() == null) {
      if (key != null) {
        embeddings.remove(key);
      }
      return;
    }
    final SliceEmbedding e;
    try {
      e = embeddingCodec.decode(r.value(), r.topic(), r.partition(), r.offset());
    } catch (RecordDecodingException ex) {
      // the decoder-worker owns this topic's dead letters; the trainer only skips the record
      LOG.warn("skipping undecodable embedding {}-{}@{}", r.topic(), r.partition(), r.offset());
      return;
    }
    embeddings.put(new EmbeddingIndex.Location(e.getSliceKey(), r.partition(), r.offset()));
    for (final PendingCorrections.Waiting w : pending.release(e.getSliceKey())) {
      resolve(w.key(), w.payload(), w.partition(), w.offset(), e);
    }
  }

  void onCorrection(final ConsumerRecord<byte[], byte[]> r) {
    if (ledger.contains(r.topic(), r.partition(), r.offset())) {
      counts.replayedRejections++;
      return;
    }
    final String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    final Correction c;
    try {
      c = corrections.decode(r.value(), r.topic(), r.partition(), r.offset());
    } catch (RecordDecodingException ex) {
      reject(
          key,
          r.value(),
          r.partition(),
          r.offset(),
          "undecodable correction: " + ex.getMessage(),
          ex);
      return;
    }
    final Optional<SliceEmbedding> e = embedding(c.getSliceKey());
    if (e.isPresent()) {
      resolve(key, r.value(), r.partition(), r.offset(), e.get());
    } else if (pending.isFull()) {
      reject(
          key,
          r.value(),
          r.partition(),
          r.offset(),
          "too many corrections wait for embeddings",
          null);
    } else {
      pending.add(
          new PendingCorrections.Waiting(
              c.getSliceKey(),
              key,
              r.value(),
              r.partition(),
              r.offset(),
              clock.instant().plus(embeddingTimeout)));
    }
  }

  /**
   * The latest embedding of a slice: held, or read back from the topic; empty when none is known
   * (or the known record was compacted away: the newer one is still to come).
   */
  private Optional<SliceEmbedding> embedding(final String sliceKey) {
    final Optional<SliceEmbedding> held = embeddings.loaded(sliceKey);
    if (held.isPresent()) {
      return held;
    }
    return embeddings.locate(sliceKey).flatMap(fetch);
  }

  /** Dead-letters the corrections whose embedding did not arrive in time. */
  void expire() {
    for (final PendingCorrections.Waiting w : pending.expire(clock.instant())) {
      reject(
          w.key(),
          w.payload(),
          w.partition(),
          w.offset(),
          "unknown slice " + w.sliceKey() + ": no embedding within " + embeddingTimeout,
          null);
    }
  }

  private void resolve(
      final String key,
      final byte[] payload,
      final int partition,
      final long offset,
      final SliceEmbedding e) {
    try {
      final Correction c = corrections.decode(payload, correctionsTopic, partition, offset);
      final TrainingPair pair = validator.validate(c, key, e, partition, offset);
      if (store.add(pair)) {
        embeddings.keep(e);
        counts.accepted++;
      } else {
        counts.duplicates++;
        LOG.debug("duplicate correction {} ignored", pair.correctionId());
      }
    } catch (InvalidCorrectionException ex) {
      reject(key, payload, partition, offset, ex.getMessage(), ex);
    }
  }

  private void reject(
      final String key,
      final byte[] payload,
      final int partition,
      final long offset,
      final String reason,
      final Exception cause) {
    counts.rejected++;
    LOG.info("correction {}-{}@{} rejected: {}", correctionsTopic, partition, offset, reason);
    // the reason is the trainer's own sentence; the exception chain adds the cause's details
    final String full =
        cause == null || cause instanceof InvalidCorrectionException && cause.getCause() == null
            ? reason
            : reason + " (" + DeadLetters.reason(cause) + ")";
    final DeadLetter dl =
        DeadLetters.of(
            correctionsTopic, partition, offset, key, DeadLetterLedger.COMPONENT, full, payload);
    deadLetters.send(dl);
    ledger.record(correctionsTopic, partition, offset);
  }
}
