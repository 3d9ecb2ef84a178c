package io.medsam.stream.trainer;

import io.medsam.stream.avro.Correction;
import io.medsam.stream.avro.DeadLetter;
import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.topology.Topics;
import io.medsam.stream.topology.testing.InProcessKafka;
import io.medsam.stream.topology.testing.InProcessKafkaExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A one-node KRaft cluster with the MedSAM topics (topology's {@link InProcessKafka}) per test
 * class, and the trainer's record helpers. Register it as {@code @RegisterExtension static final
 * InProcessBroker broker = new InProcessBroker();}: the broker is up before the class's own
 * {@code @BeforeAll} methods run and closed after its {@code @AfterAll} methods.
 */
public final class InProcessBroker implements BeforeAllCallback, AfterAllCallback {

  private final InProcessKafkaExtension kafka = new InProcessKafkaExtension();
  private KafkaProducer<byte[], byte[]> producer;

  @Override
  public void beforeAll(final ExtensionContext context) throws Exception {
    kafka.beforeAll(context);
    producer =
        new KafkaProducer<>(
            ClientConfigs.producer(kafka.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer());
  }

  @Override
  public void afterAll(final ExtensionContext context) throws Exception {
    try {
      if (producer != null) {
        producer.close();
        producer = null;
      }
    } finally {
      kafka.afterAll(context);
    }
  }

  /**
   * @return the running broker's bootstrap servers
   */
  public String bootstrap() {
    return kafka.bootstrapServers();
  }

  public void sendEmbedding(final SliceEmbedding e) {
    send(Topics.EMBEDDINGS, e.getSliceKey(), AvroCodec.of(SliceEmbedding.class).encode(e));
  }

  public void sendCorrection(final Correction c) {
    send(Topics.CORRECTIONS, c.getSliceKey(), AvroCodec.of(Correction.class).encode(c));
  }

  public void send(final String topic, final String key, final byte[] value) {
    producer.send(
        new ProducerRecord<>(
            topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value));
    producer.flush();
  }

  /** Every record of a topic, from the beginning to its current end. */
  public List<ConsumerRecord<byte[], byte[]>> readAll(final String topic) {
    final List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            ClientConfigs.consumer(bootstrap(), "test-reader"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      final List<TopicPartition> parts =
          c.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      final Map<TopicPartition, Long> end = c.endOffsets(parts);
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  /** The dead letters written by the trainer. */
  public List<DeadLetter> trainerDeadLetters() {
    final AvroCodec<DeadLetter> codec = AvroCodec.of(DeadLetter.class);
    return readAll(Topics.DEAD_LETTERS).stream()
        .map(r -> codec.decode(r.value(), r.topic(), r.partition(), r.offset()))
        .filter(d -> "trainer".equals(d.getComponent()))
        .toList();
  }

  /** Every committed DecoderWeights record on the serving topic, in order. */
  public List<DecoderWeights> weights() {
    return weights(Topics.DECODER_WEIGHTS);
  }

  /** Every committed DecoderWeights record on the weights history topic, in order. */
  public List<DecoderWeights> weightsHistory() {
    return weights(Topics.DECODER_WEIGHTS_HISTORY);
  }

  private List<DecoderWeights> weights(final String topic) {
    final AvroCodec<DecoderWeights> codec = AvroCodec.of(DecoderWeights.class);
    return readAll(topic).stream()
        .map(r -> codec.decode(r.value(), r.topic(), r.partition(), r.offset()))
        .toList();
  }

  /** Waits until the group has committed the corrections topic up to its end. */
  public void awaitTakenIn(final String group, final Duration timeout) throws Exception {
    try (Admin admin = Admin.create(ClientConfigs.admin(bootstrap()));
        KafkaConsumer<byte[], byte[]> c =
            new KafkaConsumer<>(
                ClientConfigs.consumer(bootstrap(), "probe"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
      final List<TopicPartition> parts =
          c.partitionsFor(Topics.CORRECTIONS).stream()
              .map(p -> new TopicPartition(Topics.CORRECTIONS, p.partition()))
              .toList();
      final Map<TopicPartition, Long> end = c.endOffsets(parts);
      await(
          timeout,
          () -> {
            try {
              final Map<TopicPartition, OffsetAndMetadata> done =
                  admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
              return parts.stream()
                  .allMatch(
                      tp ->
                          end.get(tp) == 0
                              || (done.get(tp) != null && done.get(tp).offset() >= end.get(tp)));
            } catch (Exception e) {
              return false;
            }
          });
    }
  }

  /** Polls a condition every 100 ms. */
  public static void await(final Duration timeout, final BooleanSupplier condition)
      throws InterruptedException {
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      Thread.sleep(100);
    }
  }
}
