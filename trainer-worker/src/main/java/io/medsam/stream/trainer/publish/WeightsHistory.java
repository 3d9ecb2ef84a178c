package io.medsam.stream.trainer.publish;

import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.avro.WeightTensor;
import io.medsam.stream.avro.WeightsVerdict;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.avro.serde.RecordDecodingException;
import io.medsam.stream.trainer.replay.TopicReplay;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every DecoderWeights record of one decoder model, oldest first, as read from the weights history
 * topic ({@code medsam.decoder-weights-history.v1}: one partition, kept forever, so every version
 * ever published, and every candidate the gate rejected, is there in order). Only committed records
 * are read: a publication whose transaction was aborted is not part of the history. The weights in
 * force are the last published record; a rejected candidate's verdict never is.
 *
 * <p>The history grows by one full weight set (~16 MiB for MedSAM ViT-B) per publication, so only
 * the record in force is held with its tensor data; {@link #records()} are summaries, and {@link
 * #find} reads an older record's data back from the topic when a rollback needs it.
 *
 * <p>{@link #read} also works on the compacted serving topic, which holds only what the log cleaner
 * has not yet removed (at least the latest record of each model).
 */
public final class WeightsHistory {

  private static final Logger LOG = LoggerFactory.getLogger(WeightsHistory.class);

  /** Where each record lies, to read its tensors back. */
  private record Located(DecoderWeights summary, TopicPartition partition, long offset) {}

  private final List<Located> records;
  private final Optional<DecoderWeights> current;
  private final int currentIndex;
  private final Map<String, Object> consumerConfig;
  private final Duration timeout;

  private WeightsHistory(
      final List<Located> records,
      final Optional<DecoderWeights> current,
      final int currentIndex,
      final Map<String, Object> consumerConfig,
      final Duration timeout) {
    this.records = List.copyOf(records);
    this.current = current;
    this.currentIndex = currentIndex;
    this.consumerConfig = Map.copyOf(consumerConfig);
    this.timeout = timeout;
  }

  /**
   * Reads the topic from the beginning to its current end, keeping the model's records.
   *
   * @param consumerConfig consumer settings with bootstrap servers (the group is not used)
   * @throws org.apache.kafka.common.errors.TimeoutException if the topic is not read in time
   */
  public static WeightsHistory read(
      final Map<String, Object> consumerConfig,
      final String topic,
      final String modelId,
      final Duration timeout) {
    final List<Located> records = new ArrayList<>();
    final DecoderWeights[] latest = new DecoderWeights[1];
    final int[] latestIndex = {-1};
    replay(
        consumerConfig,
        topic,
        timeout,
        (r, w) -> {
          if (w.getModelId().equals(modelId)) {
            records.add(
                new Located(summary(w), new TopicPartition(r.topic(), r.partition()), r.offset()));
            if (isPublished(w)) {
              latest[0] = w;
              latestIndex[0] = records.size() - 1;
            }
          }
        });
    return new WeightsHistory(
        records, Optional.ofNullable(latest[0]), latestIndex[0], consumerConfig, timeout);
  }

  /**
   * Summaries ({@link #records()}) of every committed record of every model on the topic, each
   * model's records in offset order.
   *
   * @throws org.apache.kafka.common.errors.TimeoutException if the topic is not read in time
   */
  public static List<DecoderWeights> readAll(
      final Map<String, Object> consumerConfig, final String topic, final Duration timeout) {
    final List<DecoderWeights> out = new ArrayList<>();
    replay(consumerConfig, topic, timeout, (r, w) -> out.add(summary(w)));
    return out;
  }

  /**
   * Every committed record of the model on the topic with its tensor data, oldest first: for
   * copying records, not for a history that grows without bound.
   *
   * @throws org.apache.kafka.common.errors.TimeoutException if the topic is not read in time
   */
  public static List<DecoderWeights> readWithTensors(
      final Map<String, Object> consumerConfig,
      final String topic,
      final String modelId,
      final Duration timeout) {
    final List<DecoderWeights> out = new ArrayList<>();
    replay(
        consumerConfig,
        topic,
        timeout,
        (r, w) -> {
          if (w.getModelId().equals(modelId)) {
            out.add(w);
          }
        });
    return out;
  }

  /**
   * All records, oldest first, as summaries: every field as published, each tensor with its name,
   * shape and dtype but no data.
   */
  public List<DecoderWeights> records() {
    return records.stream().map(Located::summary).toList();
  }

  /** True when the model has no record. */
  public boolean isEmpty() {
    return records.isEmpty();
  }

  /**
   * The record now in force (the last published one; a rejected candidate's verdict never is), with
   * its tensors.
   */
  public Optional<DecoderWeights> current() {
    return current;
  }

  /**
   * The most recent record named {@code version}: a published one (trained or re-published) with
   * its tensors (read back from the topic unless it is the record in force), or a rejected
   * candidate's verdict (no tensors; {@link #isPublished} is false).
   *
   * @throws org.apache.kafka.common.errors.TimeoutException if the record is not read back in time
   */
  public Optional<DecoderWeights> find(final String version) {
    for (int i = records.size() - 1; i >= 0; i--) {
      final Located r = records.get(i);
      if (r.summary().getVersion().equals(version)) {
        if (!isPublished(r.summary())) {
          return Optional.of(r.summary());
        }
        return Optional.of(i == currentIndex ? current.orElseThrow() : readBack(r));
      }
    }
    return Optional.empty();
  }

  /**
   * The last record of a training run (published or rejected; re-publications not counted), as a
   * summary: what the trainer last decided on.
   */
  public Optional<DecoderWeights> latestRun() {
    for (int i = records.size() - 1; i >= 0; i--) {
      if (records.get(i).summary().getRollbackOf() == null) {
        return Optional.of(records.get(i).summary());
      }
    }
    return Optional.empty();
  }

  /** Number of versions the trainer has published (re-publications and rejections not counted). */
  public int trainedVersions() {
    return (int)
        records.stream()
            .filter(r -> r.summary().getRollbackOf() == null && isPublished(r.summary()))
            .count();
  }

  /** Number of candidates the gate rejected. */
  public int rejectedCandidates() {
    return (int) records.stream().filter(r -> !isPublished(r.summary())).count();
  }

  /** False for a rejected candidate's verdict (no tensors, never served). */
  public static boolean isPublished(final DecoderWeights w) {
    return w.getVerdict() != WeightsVerdict.REJECTED;
  }

  private DecoderWeights readBack(final Located where) {
    final AvroCodec<DecoderWeights> codec = AvroCodec.of(DecoderWeights.class);
    final byte[] value =
        TopicReplay.at(consumerConfig, where.partition(), where.offset(), timeout).value();
    return codec.decode(
        value, where.partition().topic(), where.partition().partition(), where.offset());
  }

  private static DecoderWeights summary(final DecoderWeights w) {
    final List<WeightTensor> tensors =
        w.getTensors().stream()
            .map(t -> WeightTensor.newBuilder(t).setData(ByteBuffer.allocate(0)).build())
            .toList();
    return DecoderWeights.newBuilder(w).setTensors(tensors).build();
  }

  /** Decodes each committed record; tombstones and records that do not decode are skipped. */
  private static void replay(
      final Map<String, Object> consumerConfig,
      final String topic,
      final Duration timeout,
      final BiConsumer<ConsumerRecord<byte[], byte[]>, DecoderWeights> each) {
    final AvroCodec<DecoderWeights> codec = AvroCodec.of(DecoderWeights.class);
    // a model's records share a key, hence a partition, and arrive in its offset order
    TopicReplay.toEnd(
        consumerConfig,
        topic,
        timeout,
        r -> {
          if (r.value() == null) {
            return;
          }
          try {
            each.accept(r, codec.decode(r.value(), r.topic(), r.partition(), r.offset()));
          } catch (RecordDecodingException e) {
            LOG.warn(
                "skipping undecodable weights record {}-{}@{}",
                r.topic(),
                r.partition(),
                r.offset());
          }
        });
  }
}
