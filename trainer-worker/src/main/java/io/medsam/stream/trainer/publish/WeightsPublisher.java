package io.medsam.stream.trainer.publish;

import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.avro.serde.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes DecoderWeights records keyed by decoder model id, waiting for the broker's
 * acknowledgement, and re-publishes earlier versions for rollback.
 */
public final class WeightsPublisher implements AutoCloseable {

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final Clock clock;
  private final AvroCodec<DecoderWeights> codec = AvroCodec.of(DecoderWeights.class);

  /**
   * @param producerConfig producer settings (bootstrap servers, sizes, compression)
   * @param topic the weights topic
   */
  public WeightsPublisher(final Map<String, Object> producerConfig, final String topic, final Clock clock) {
    final Map<String, Object> config = new java.util.HashMap<>(producerConfig);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    this.topic = topic;
    this.clock = clock;
  }

  /**
   * Publishes one record and waits until the broker has it.
   *
   * @throws WeightsPublicationException if the broker does not acknowledge it in time
   */
  public void publish(final DecoderWeights weights, final Duration timeout)
      throws WeightsPublicationException {
    try {
      producer
          .send(new ProducerRecord<>(topic, weights.getModelId().getBytes(StandardCharsets.UTF_8),
              codec.encode(weights)))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new WeightsPublicationException("weights " + weights.getVersion() + " not published", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WeightsPublicationException("interrupted publishing " + weights.getVersion(), e);
    }
  }

  /**
   * Re-publishes version {@code toVersion} so that it is in force again. The new record keeps
   * the earlier version's name, tensors, parent and metrics (so every decoder serves and names
   * it exactly as before), with {@code rollbackOf} = the version it replaces and a new time.
   *
   * @return the record published
   * @throws WeightsPublicationException if the version is not on the topic or publishing fails
   */
  public DecoderWeights rollback(final WeightsHistory history, final String toVersion, final Duration timeout)
      throws WeightsPublicationException {
    final DecoderWeights earlier = history.find(toVersion).orElseThrow(
        () -> new WeightsPublicationException("version " + toVersion + " is not on " + topic, null));
    final String replaced = history.current().map(DecoderWeights::getVersion).orElse(null);
    final DecoderWeights again =
        DecoderWeights.newBuilder(earlier)
            .setRollbackOf(replaced)
            .setCreatedAt(clock.instant())
            .build();
    publish(again, timeout);
    return again;
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
