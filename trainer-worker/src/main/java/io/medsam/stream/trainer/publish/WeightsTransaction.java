package io.medsam.stream.trainer.publish;

import io.medsam.stream.topology.ClientConfigs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One publication's Kafka transaction (the {@link WeightsPublisher}'s): a transactional producer of
 * the model's id, the records written and committed, then a wait until read_committed readers see
 * them; aborted on any failure.
 */
final class WeightsTransaction {

  private static final Logger LOG = LoggerFactory.getLogger(WeightsTransaction.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  private WeightsTransaction() {}

  /**
   * Writes {@code records} in one transaction of {@code transactionalId} and waits until they are
   * visible.
   *
   * @throws WeightsPublicationException if a write or the commit fails or times out (aborted)
   */
  static void commit(
      final String bootstrapServers,
      final String transactionalId,
      final List<ProducerRecord<byte[], byte[]>> records,
      final String what,
      final Duration timeout)
      throws WeightsPublicationException {
    final long deadline = System.nanoTime() + timeout.toNanos();
    final KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            ClientConfigs.transactionalProducer(bootstrapServers, transactionalId),
            new ByteArraySerializer(),
            new ByteArraySerializer());
    try {
      try {
        producer.initTransactions();
        producer.beginTransaction();
      } catch (KafkaException e) {
        throw new WeightsPublicationException(what + " not published: no transaction", e);
      }
      try {
        final List<Future<RecordMetadata>> acks = new ArrayList<>();
        records.forEach(r -> acks.add(producer.send(r)));
        final List<RecordMetadata> written = new ArrayList<>();
        for (final Future<RecordMetadata> ack : acks) {
          written.add(ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        }
        producer.commitTransaction();
        awaitVisible(bootstrapServers, written, deadline, what);
      } catch (ExecutionException | TimeoutException | KafkaException e) {
        abort(producer, e);
        throw new WeightsPublicationException(what + " not published (aborted)", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        abort(producer, e);
        throw new WeightsPublicationException("interrupted publishing " + what, e);
      }
    } finally {
      producer.close(CLOSE_TIMEOUT);
    }
  }

  /**
   * Aborts the open transaction. When that fails too (the producer was fenced by a newer writer of
   * the model, or the broker is gone), the transaction stays open until the next writer of the
   * model starts or the coordinator's transaction timeout ends it, and it is aborted then: no
   * committed reader ever sees its records.
   */
  /**
   * Waits until read_committed readers see the records: commitTransaction returns once the commit
   * is decided, but the markers reach the partitions a little later, and a history read in between
   * (the next training run, a rollback right after) would miss the new record.
   */
  private static void awaitVisible(
      final String bootstrapServers,
      final List<RecordMetadata> written,
      final long deadline,
      final String what) {
    final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    written.forEach(
        m -> latest.put(new TopicPartition(m.topic(), m.partition()), OffsetSpec.latest()));
    try (Admin admin = Admin.create(ClientConfigs.admin(bootstrapServers))) {
      while (System.nanoTime() < deadline) {
        final Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> stable =
            admin
                .listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all()
                .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (written.stream()
            .allMatch(
                m ->
                    stable.get(new TopicPartition(m.topic(), m.partition())).offset()
                        > m.offset())) {
          return;
        }
        Thread.sleep(20);
      }
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("{} committed; could not confirm it is visible yet: {}", what, e.toString());
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // committed; only the wait is cut short
      return;
    }
    LOG.warn("{} committed but not yet visible to read_committed readers", what);
  }

  private static void abort(final KafkaProducer<byte[], byte[]> producer, final Exception cause) {
    try {
      producer.abortTransaction();
    } catch (KafkaException e) {
      cause.addSuppressed(e);
    }
  }
}
