package io.medsam.stream.app.viewer;

import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.topology.ClientConfigs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Every committed record of a topic, read to its end and decoded (for assertions). */
final class TopicRecords {

  private TopicRecords() {}

  static <T extends SpecificRecord> List<T> read(
      final String bootstrap, final String topic, final Class<T> type) {
    final Map<String, Object> props = new HashMap<>(ClientConfigs.consumer(bootstrap, "unused"));
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    final AvroCodec<T> codec = AvroCodec.of(type);
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      final List<TopicPartition> parts =
          c.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      final Map<TopicPartition, Long> end = c.endOffsets(parts);
      final List<T> out = new ArrayList<>();
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        c.poll(Duration.ofMillis(200))
            .forEach(r -> out.add(codec.decode(r.value(), r.topic(), r.partition(), r.offset())));
      }
      return out;
    }
  }
}
