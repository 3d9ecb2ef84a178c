package io.medsam.stream.client;

import io.medsam.stream.avro.DeadLetter;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.avro.serde.RecordDecodingException;
import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.topology.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The trainer's rejections of corrections, read from medsam.dead-letters.v1: every committed dead
 * letter up to the end the topic had when the read started (read_committed, partitions assigned,
 * nothing committed), kept when its component is the trainer's and its source the corrections
 * topic.
 */
final class TrainerVerdicts {

  /**
   * The {@code component} the trainer writes on its dead letters (the trainer's {@code
   * DeadLetterLedger.COMPONENT}; the trainer-worker's CorrectionFeedTest checks that they agree).
   */
  static final String TRAINER_COMPONENT = "trainer";

  private static final Duration POLL = Duration.ofMillis(200);

  private TrainerVerdicts() {}

  /**
   * @param bootstrap the cluster
   * @param timeout the longest read
   * @return the reason of each rejected correction, by "partition:offset" of the correction
   * @throws TimeoutException if the dead-letter topic is not read to its end within {@code timeout}
   */
  static Map<String, String> rejections(final String bootstrap, final Duration timeout) {
    final Map<String, String> rejected = new HashMap<>();
    final AvroCodec<DeadLetter> codec = AvroCodec.of(DeadLetter.class);
    final Map<String, Object> config =
        new HashMap<>(ClientConfigs.consumer(bootstrap, "medsam-correct"));
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    final long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      final List<TopicPartition> parts =
          consumer.partitionsFor(Topics.DEAD_LETTERS, timeout).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      // under read_committed the end offsets are the last stable offsets
      final Map<TopicPartition, Long> end = consumer.endOffsets(parts, timeout);
      while (parts.stream().anyMatch(tp -> consumer.position(tp, timeout) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new TimeoutException(
              Topics.DEAD_LETTERS + " not read to its end within " + timeout);
        }
        for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
          if (r.value() != null
              && r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
            record(codec, r, rejected);
          }
        }
      }
    }
    return rejected;
  }

  private static void record(
      final AvroCodec<DeadLetter> codec,
      final ConsumerRecord<byte[], byte[]> r,
      final Map<String, String> rejected) {
    try {
      final DeadLetter d = codec.decode(r.value(), r.topic(), r.partition(), r.offset());
      if (TRAINER_COMPONENT.equals(d.getComponent())
          && Topics.CORRECTIONS.equals(d.getSourceTopic())) {
        rejected.put(d.getSourcePartition() + ":" + d.getSourceOffset(), d.getReason());
      }
    } catch (RecordDecodingException e) {
      // not a trainer dead letter: nothing to report here
    }
  }
}
