package io.medsam.stream.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medsam.stream.avro.DeadLetter;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.topology.testing.InProcessKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Large records, transactions and dead letters through a real in-process KRaft broker. */
class KafkaRoundTripIntegrationTest {

  private static InProcessKafka kafka;

  @BeforeAll
  static void startBrokerAndEnsureTopics() throws Exception {
    kafka = InProcessKafka.startWithoutTopics();
    try (Admin admin = Admin.create(ClientConfigs.admin(kafka.bootstrapServers()))) {
      TopicProvisioner.ensure(admin, Topics.all());
    }
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void fourMebibyteEmbeddingRoundTripsWithTheSpecifiedClientConfigs() throws Exception {
    final SliceEmbedding sent = LargeRecordRoundTrip.largeEmbedding("series-1/axial/7");

    final RecordMetadata metadata = LargeRecordRoundTrip.produce(kafka.bootstrapServers(), sent);
    final SliceEmbedding received =
        LargeRecordRoundTrip.consume(kafka.bootstrapServers(), sent.getSliceKey());

    assertThat(metadata.serializedValueSize()).isGreaterThan(LargeRecordRoundTrip.PAYLOAD_BYTES);
    assertThat(received).isEqualTo(sent);
  }

  @Test
  void defaultProducerLimitsWouldRefuseTheSameRecord() {
    final Map<String, Object> defaults =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    final SliceEmbedding embedding = LargeRecordRoundTrip.largeEmbedding("series-1/axial/8");
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(new HashMap<>(defaults))) {
      assertThatThrownBy(
              () ->
                  producer
                      .send(
                          new ProducerRecord<>(
                              Topics.EMBEDDINGS,
                              embedding.getSliceKey(),
                              AvroCodec.of(SliceEmbedding.class).encode(embedding)))
                      .get())
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(RecordTooLargeException.class);
    }
  }

  @Test
  void readCommittedConsumerSeesOnlyCommittedDeadLetters() throws Exception {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final DeadLetter committed =
        DeadLetters.of(
            Topics.SLICES,
            1,
            17L,
            "series-2/axial/3",
            "encoder",
            new IllegalStateException("decoder exploded"),
            new byte[] {1, 2, 3});
    final DeadLetter aborted =
        DeadLetters.of(
            Topics.SLICES, 1, 18L, "series-2/axial/4", "encoder", "never committed", null);

    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            new HashMap<>(
                ClientConfigs.transactionalProducer(kafka.bootstrapServers(), "dead-letter-test")),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      producer.initTransactions();
      final DeadLetterProducer deadLetters = new DeadLetterProducer("encoder", producer, registry);
      producer.beginTransaction();
      deadLetters.send(aborted);
      producer.flush();
      producer.abortTransaction();
      producer.beginTransaction();
      deadLetters.send(committed).get();
      producer.commitTransaction();
    }

    final List<DeadLetter> read = readDeadLetters(1);
    assertThat(read).containsExactly(committed);
    assertThat(read.get(0).getReason())
        .isEqualTo("java.lang.IllegalStateException: decoder exploded");
    assertThat(
            registry
                .get(DeadLetterProducer.METRIC)
                .tag("component", "encoder")
                .tag("source_topic", Topics.SLICES)
                .counter()
                .count())
        .isEqualTo(2.0);
  }

  private static List<DeadLetter> readDeadLetters(final int expected) {
    final AvroCodec<DeadLetter> codec = AvroCodec.of(DeadLetter.class);
    final List<DeadLetter> letters = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            new HashMap<>(
                ClientConfigs.consumer(kafka.bootstrapServers(), "dead-letter-reader")))) {
      consumer.subscribe(List.of(Topics.DEAD_LETTERS));
      final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      // keep polling a little after the expected count, so that a leaked aborted record shows
      long quietUntil = Long.MAX_VALUE;
      while (System.nanoTime() < Math.min(deadline, quietUntil)) {
        for (final ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          letters.add(
              codec.decode(record.value(), record.topic(), record.partition(), record.offset()));
        }
        if (letters.size() >= expected && quietUntil == Long.MAX_VALUE) {
          quietUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        }
      }
    }
    return letters;
  }
}
