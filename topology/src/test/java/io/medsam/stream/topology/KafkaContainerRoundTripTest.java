package io.medsam.stream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.avro.SliceEmbedding;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The 4 MiB round trip against the official apache/kafka image, as a deployment would run it.
 * Skipped where no Docker engine is available.
 */
@Testcontainers(disabledWithoutDocker = true)
class KafkaContainerRoundTripTest {

  @Container private static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.1");

  @Test
  void fourMebibyteEmbeddingRoundTripsThroughTheOfficialImage() throws Exception {
    try (Admin admin = Admin.create(Map.copyOf(ClientConfigs.admin(KAFKA.getBootstrapServers())))) {
      TopicProvisioner.ensure(admin, Topics.all(new TopicLayout(3, 1)));
    }
    final SliceEmbedding sent = LargeRecordRoundTrip.largeEmbedding("series-c/axial/1");

    LargeRecordRoundTrip.produce(KAFKA.getBootstrapServers(), sent);

    assertThat(LargeRecordRoundTrip.consume(KAFKA.getBootstrapServers(), sent.getSliceKey()))
        .isEqualTo(sent);
  }
}
