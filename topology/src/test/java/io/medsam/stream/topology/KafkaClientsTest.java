package io.medsam.stream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {

  @Test
  void fencedOutOfSequenceUnsupportedAndUnauthorizedAreFatal() {
    assertThat(KafkaClients.isFatal(new ProducerFencedException("newer instance"))).isTrue();
    assertThat(KafkaClients.isFatal(new FencedInstanceIdException("fenced"))).isTrue();
    assertThat(KafkaClients.isFatal(new InvalidProducerEpochException("epoch"))).isTrue();
    assertThat(KafkaClients.isFatal(new OutOfOrderSequenceException("sequence"))).isTrue();
    assertThat(KafkaClients.isFatal(new UnsupportedVersionException("old broker"))).isTrue();
    assertThat(KafkaClients.isFatal(new TopicAuthorizationException("denied"))).isTrue();
    assertThat(KafkaClients.isFatal(new AuthorizationException("denied"))).isTrue();
  }

  @Test
  void otherKafkaErrorsAreRetried() {
    assertThat(KafkaClients.isFatal(new TimeoutException("slow broker"))).isFalse();
    assertThat(KafkaClients.isFatal(new KafkaException("commit failed"))).isFalse();
  }

  @Test
  void workerConsumerReadsCommittedFromTheStartAndCommitsOnlyThroughTransactions() {
    final ConsumerConfig config =
        new ConsumerConfig(
            KafkaClients.transactionalWorkerConsumer(
                "localhost:9092",
                "medsam-test",
                "test-1",
                16,
                Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000)));
    assertThat(config.getString(ConsumerConfig.GROUP_ID_CONFIG)).isEqualTo("medsam-test");
    assertThat(config.getString(ConsumerConfig.ISOLATION_LEVEL_CONFIG)).isEqualTo("read_committed");
    assertThat(config.getBoolean(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG)).isFalse();
    assertThat(config.getString(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG)).isEqualTo("earliest");
    assertThat(config.getInt(ConsumerConfig.MAX_POLL_RECORDS_CONFIG)).isEqualTo(16);
    assertThat(config.getString(ConsumerConfig.CLIENT_ID_CONFIG)).isEqualTo("test-1-consumer");
    assertThat(config.getInt(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)).isEqualTo(6_000);
    assertThat(config.getInt(ConsumerConfig.FETCH_MAX_BYTES_CONFIG))
        .as("sized by ClientConfigs")
        .isEqualTo(
            new ConsumerConfig(ClientConfigs.consumer("localhost:9092", "g"))
                .getInt(ConsumerConfig.FETCH_MAX_BYTES_CONFIG));
  }

  @Test
  void workerProducerIsTransactionalWithOverridesLast() {
    final ProducerConfig config =
        new ProducerConfig(
            KafkaClients.transactionalWorkerProducer(
                "localhost:9092", "test-1", Map.of(ProducerConfig.LINGER_MS_CONFIG, 7)));
    assertThat(config.getString(ProducerConfig.TRANSACTIONAL_ID_CONFIG)).isEqualTo("test-1");
    assertThat(config.getLong(ProducerConfig.LINGER_MS_CONFIG)).isEqualTo(7L);
  }
}
