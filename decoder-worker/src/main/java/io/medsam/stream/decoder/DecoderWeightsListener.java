package io.medsam.stream.decoder;

import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.decoder.session.DecoderSessionException;
import io.medsam.stream.decoder.session.DecoderSessions;
import io.medsam.stream.decoder.session.MaskDecoderSession;
import io.medsam.stream.decoder.session.SessionSettings;
import io.medsam.stream.decoder.session.ValidatedWeights;
import io.medsam.stream.decoder.session.WeightsCheck;
import io.medsam.stream.decoder.session.WeightsRejectedException;
import io.medsam.stream.records.weights.WeightsSignatureException;
import io.medsam.stream.records.weights.WeightsVerifier;
import io.medsam.stream.topology.DeadLetterProducer;
import io.medsam.stream.topology.DeadLetters;
import io.medsam.stream.topology.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows medsam.decoder-weights.v1 from the beginning (every worker reads every partition; no
 * consumer group) and hot-swaps the decoder session for each valid record of this bundle's model
 * id. A record that does not decode, is not signed by the trusted key (when one is configured) or
 * does not fit the bundle goes to the dead-letter topic and the current weights stay. Of the valid
 * records of one poll only the last one is loaded (catching up on a compacted history builds one
 * session, not one per version). Without a trusted key every well-formed record is served, as
 * before signatures existed, and a warning says so once.
 */
public final class DecoderWeightsListener implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(DecoderWeightsListener.class);

  /** The component named in the decoder's dead letters. */
  static final String COMPONENT = "decoder";

  private final KafkaConsumer<String, byte[]> consumer;
  private final DeadLetterProducer deadLetters;
  private final ModelBundle bundle;
  private final SessionSettings settings;
  private final DecoderSessions sessions;
  private final Consumer<String> onSwap;
  private final Optional<WeightsVerifier> verifier;
  private boolean warnedUnverified;
  private final AvroCodec<DecoderWeights> codec = AvroCodec.of(DecoderWeights.class);
  private volatile boolean running = true;

  /**
   * @param consumer a consumer of byte[] values (not subscribed; this class assigns partitions)
   * @param deadLetters logs, counts and sends the dead letters
   * @param bundle the bundle whose model id and manifest the weights must match
   * @param settings settings of the sessions built from new weights
   * @param sessions the sessions to swap
   * @param onSwap called with each version after it went live (tests, metrics)
   * @param verifier checks each record's signature; empty: records are not verified
   */
  public DecoderWeightsListener(
      final KafkaConsumer<String, byte[]> consumer,
      final DeadLetterProducer deadLetters,
      final ModelBundle bundle,
      final SessionSettings settings,
      final DecoderSessions sessions,
      final Consumer<String> onSwap,
      final Optional<WeightsVerifier> verifier) {
    this.consumer = consumer;
    this.deadLetters = deadLetters;
    this.bundle = bundle;
    this.settings = settings;
    this.sessions = sessions;
    this.onSwap = onSwap;
    this.verifier = verifier;
  }

  @Override
  public void run() {
    try {
      final List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.DECODER_WEIGHTS, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      LOG.info("following {} from the beginning for model {}", Topics.DECODER_WEIGHTS, bundle.id());
      while (running) {
        apply(consumer.poll(Duration.ofMillis(500)));
      }
    } catch (final WakeupException e) {
      if (running) {
        throw e;
      }
    } finally {
      consumer.close();
    }
  }

  /** Validates every record of a poll and swaps to the last valid one. */
  void apply(final ConsumerRecords<String, byte[]> records) {
    Optional<ValidatedWeights> latest = Optional.empty();
    ConsumerRecord<String, byte[]> latestRecord = null;
    for (final ConsumerRecord<String, byte[]> r : records) {
      try {
        if (r.value() == null) {
          LOG.info(
              "weights tombstone for {} at {}-{}@{}; current weights stay",
              r.key(),
              r.topic(),
              r.partition(),
              r.offset());
          continue;
        }
        final DecoderWeights w = codec.decode(r.value(), r.topic(), r.partition(), r.offset());
        if (!bundle.id().equals(w.getModelId())) {
          LOG.debug(
              "weights {} are for model {}, not {}", w.getVersion(), w.getModelId(), bundle.id());
          continue;
        }
        trust(w);
        latest = Optional.of(WeightsCheck.validate(w, bundle));
        latestRecord = r;
      } catch (final SerializationException
          | WeightsRejectedException
          | WeightsSignatureException e) {
        deadLetter(r, e);
      }
    }
    if (latest.isPresent()) {
      try {
        final MaskDecoderSession next = MaskDecoderSession.open(bundle, settings, latest);
        sessions.swap(next);
        onSwap.accept(next.weightsVersion());
      } catch (final DecoderSessionException e) {
        deadLetter(latestRecord, e);
      }
    }
  }

  /** Refuses a record the trusted key did not sign; without a key, warns once. */
  private void trust(final DecoderWeights w) throws WeightsSignatureException {
    if (verifier.isPresent()) {
      verifier.get().verify(w);
    } else if (!warnedUnverified) {
      warnedUnverified = true;
      LOG.warn(
          "decoder weights are not verified (no --weights-public-key): anyone who can write {}"
              + " changes the model; serving {} of {} unverified",
          Topics.DECODER_WEIGHTS,
          w.getVersion(),
          w.getModelId());
    }
  }

  private void deadLetter(final ConsumerRecord<String, byte[]> r, final Exception e) {
    LOG.warn(
        "rejected weights record {}-{}@{}; current weights {} stay: {}",
        r.topic(),
        r.partition(),
        r.offset(),
        sessions.currentVersion(),
        e.getMessage());
    deadLetters.send(
        DeadLetters.of(r.topic(), r.partition(), r.offset(), r.key(), COMPONENT, e, r.value()));
  }

  /** Stops the loop and closes the consumer (from another thread). */
  public void stop() {
    running = false;
    consumer.wakeup();
  }
}
