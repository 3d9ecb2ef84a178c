package io.medsam.stream.topology;

import static org.assertj.core.api.Assertions.assertThat;

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
}
