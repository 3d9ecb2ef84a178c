package io.medsam.stream.trainer.publish;

import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.avro.serde.RecordDecodingException;
import io.medsam.stream.trainer.replay.TopicReplay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every DecoderWeights record of one decoder model, oldest first, as read from the weights
 * history topic ({@code medsam.decoder-weights-history.v1}: one partition, kept forever, so
 * every version ever published is there in publication order). Only committed records are read:
 * a publication whose transaction was aborted is not part of the history.
 *
 * <p>{@link #read} also works on the compacted serving topic, which holds only what the log
 * cleaner has not yet removed (at least the latest record of each model).
 */
public final class WeightsHistory {

  private static final Logger LOG = LoggerFactory.getLogger(WeightsHistory.class);

  private final List<DecoderWeights> records;

  private WeightsHistory(final List<DecoderWeights> records) {
    this.records = List.copyOf(records);
  }

  /**
   * Reads the topic from the beginning to its current end, keeping the model's records.
   *
   * @param consumerConfig consumer settings with bootstrap servers (the group is not used)
   * @throws org.apache.kafka.common.errors.TimeoutException if the topic is not read in time
   */
  public static WeightsHistory read(
      final Map<String, Object> consumerConfig, final String topic, final String modelId,
      final Duration timeout) {
    return new WeightsHistory(readAll(consumerConfig, topic, timeout).stream()
        .filter(w -> w.getModelId().equals(modelId)).toList());
  }

  /**
   * Every committed record of every model on the topic, each model's records in offset order;
   * tombstones and records that do not decode are skipped (the latter with a warning).
   *
   * @throws org.apache.kafka.common.errors.TimeoutException if the topic is not read in time
   */
  public static List<DecoderWeights> readAll(
      final Map<String, Object> consumerConfig, final String topic, final Duration timeout) {
    final AvroCodec<DecoderWeights> codec = AvroCodec.of(DecoderWeights.class);
    final List<DecoderWeights> out = new ArrayList<>();
    // a model's records share a key, hence a partition, and arrive in its offset order
    TopicReplay.toEnd(consumerConfig, topic, timeout, r -> {
      if (r.value() == null) {
        return;
      }
      try {
        out.add(codec.decode(r.value(), r.topic(), r.partition(), r.offset()));
      } catch (RecordDecodingException e) {
        LOG.warn("skipping undecodable weights record {}-{}@{}", r.topic(), r.partition(),
            r.offset());
      }
    });
    return out;
  }

  /** All records, oldest first. */
  public List<DecoderWeights> records() {
    return records;
  }

  /** True when the model has no record. */
  public boolean isEmpty() {
    return records.isEmpty();
  }

  /** The record now in force (the last one). */
  public Optional<DecoderWeights> current() {
    return records.isEmpty() ? Optional.empty() : Optional.of(records.get(records.size() - 1));
  }

  /** The most recent record that published {@code version} (trained or re-published). */
  public Optional<DecoderWeights> find(final String version) {
    for (int i = records.size() - 1; i >= 0; i--) {
      if (records.get(i).getVersion().equals(version)) {
        return Optional.of(records.get(i));
      }
    }
    return Optional.empty();
  }

  /** Number of versions the trainer has trained (re-publications not counted). */
  public int trainedVersions() {
    return (int) records.stream().filter(r -> r.getRollbackOf() == null).count();
  }
}
