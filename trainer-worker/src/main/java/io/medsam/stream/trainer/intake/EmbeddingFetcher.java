package io.medsam.stream.trainer.intake;

import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.avro.serde.RecordDecodingException;
import io.medsam.stream.trainer.replay.TopicReplay;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one embedding back from the embeddings topic by its offset. The intake keeps only where
 * each slice's latest embedding is ({@link EmbeddingIndex}), not its bytes: the bytes of a slice
 * are fetched when a correction for it arrives, so the trainer holds the embeddings of corrected
 * slices only, not of every slice ever encoded. Not thread-safe (the intake thread).
 */
final class EmbeddingFetcher implements AutoCloseable {

  private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String topic;
  private final AvroCodec<SliceEmbedding> codec = AvroCodec.of(SliceEmbedding.class);

  /**
   * @param consumerConfig bootstrap servers and sizes (the group id is dropped: no group)
   * @param topic the embeddings topic
   */
  EmbeddingFetcher(final Map<String, Object> consumerConfig, final String topic) {
    final Map<String, Object> config = new HashMap<>(consumerConfig);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
    this.consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.topic = topic;
  }

  /**
   * @param where the slice's latest embedding as the intake saw it
   * @return the embedding; empty when the record is gone (compacted away because a newer embedding
   *     of the slice exists further on, which the intake will see) or no longer decodes as one for
   *     that slice
   * @throws org.apache.kafka.common.errors.TimeoutException when the broker does not answer
   */
  Optional<SliceEmbedding> fetch(final EmbeddingIndex.Location where) {
    final Optional<ConsumerRecord<byte[], byte[]>> found =
        TopicReplay.at(
            consumer, new TopicPartition(topic, where.partition()), where.offset(), FETCH_TIMEOUT);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    final ConsumerRecord<byte[], byte[]> r = found.get();
    if (r.value() == null
        || r.key() == null
        || !where.sliceKey().equals(new String(r.key(), StandardCharsets.UTF_8))) {
      return Optional.empty();
    }
    try {
      return Optional.of(codec.decode(r.value(), r.topic(), r.partition(), r.offset()));
    } catch (RecordDecodingException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
