package io.medsam.stream.topology;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client properties, lifecycle helpers and error classification shared by the workers that run a
 * transactional consume-produce loop.
 */
public final class KafkaClients {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaClients.class);

  private KafkaClients() {}

  /**
   * Consumer properties of a worker that commits its offsets in its producer's transactions: {@link
   * ClientConfigs#consumer} with read_committed, no auto commit, reset to earliest, at most {@code
   * maxPollRecords} a poll and client id {@code <transactionalId>-consumer}; {@code overrides}
   * last.
   */
  public static Map<String, Object> transactionalWorkerConsumer(
      final String bootstrapServers,
      final String groupId,
      final String transactionalId,
      final int maxPollRecords,
      final Map<String, Object> overrides) {
    final Map<String, Object> props =
        new HashMap<>(ClientConfigs.consumer(bootstrapServers, groupId));
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, transactionalId + "-consumer");
    props.putAll(overrides);
    return props;
  }

  /**
   * Producer properties of such a worker: {@link ClientConfigs#transactionalProducer}, then {@code
   * overrides}.
   */
  public static Map<String, Object> transactionalWorkerProducer(
      final String bootstrapServers,
      final String transactionalId,
      final Map<String, Object> overrides) {
    final Map<String, Object> props =
        new HashMap<>(ClientConfigs.transactionalProducer(bootstrapServers, transactionalId));
    props.putAll(overrides);
    return props;
  }

  /**
   * Closes a worker's consumer, then its producer, each within {@code timeout}. A close that fails
   * (a fenced producer, an interrupted thread) is logged and does not stop the other; a producer
   * closed with {@link Duration#ZERO} aborts whatever transaction it left open.
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

  /**
   * Whether a transactional send or commit failed for good: the producer was fenced by a newer
   * instance, lost its sequence, or the broker refuses it. Such an error stops the worker; after
   * any other {@link KafkaException} the transaction is aborted and the records read again.
   */
  public static boolean isFatal(final KafkaException e) {
    return e instanceof ProducerFencedException
        || e instanceof FencedInstanceIdException
        || e instanceof InvalidProducerEpochException
        || e instanceof OutOfOrderSequenceException
        || e instanceof UnsupportedVersionException
        || e instanceof AuthorizationException;
  }
}
