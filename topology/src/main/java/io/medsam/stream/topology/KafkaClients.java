package io.medsam.stream.topology;

import java.time.Duration;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Lifecycle helpers shared by the workers that run a transactional consume-produce loop. */
public final class KafkaClients {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaClients.class);

  private KafkaClients() {}

  /**
   * Closes a worker's consumer, then its producer, each within {@code timeout}. A close that
   * fails (a fenced producer, an interrupted thread) is logged and does not stop the other; a
   * producer closed with {@link Duration#ZERO} aborts whatever transaction it left open.
   */
  public static void closeQuietly(
      final Consumer<?, ?> consumer, final Producer<?, ?> producer, final Duration timeout) {
    try {
      consumer.close(timeout);
    } catch (RuntimeException e) {
      LOG.debug("closing the consumer: {}", e.toString());
    }
    try {
      producer.close(timeout);
    } catch (RuntimeException e) {
      LOG.debug("closing the producer: {}", e.toString());
    }
  }
}
