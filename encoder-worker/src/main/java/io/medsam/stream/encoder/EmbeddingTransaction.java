package io.medsam.stream.encoder;

import io.medsam.stream.topology.KafkaClients;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * The encoder's open Kafka transaction: one or more encoded batches sent to the output topics, then
 * the consumed offsets of all of them added with the group's metadata and committed. Like Kafka
 * Streams' commit interval, several batches may share a transaction so that its round trips are
 * paid once per interval rather than once per batch. Used by the polling thread only.
 */
final class EmbeddingTransaction {

  private final Producer<byte[], byte[]> producer;
  private final Supplier<ConsumerGroupMetadata> group;
  private final TransactionProbe probe;
  private final EncoderMetrics metrics;
  private final List<ConsumerRecord<byte[], byte[]>> consumed = new ArrayList<>();
  private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
  private final List<String> keys = new ArrayList<>();
  private boolean open;
  private int abortsInARow;
  private long openedNanos;
  private int embeddings;
  private int deadLetters;

  EmbeddingTransaction(
      final Producer<byte[], byte[]> producer,
      final Supplier<ConsumerGroupMetadata> group,
      final TransactionProbe probe,
      final EncoderMetrics metrics) {
    this.producer = producer;
    this.group = group;
    this.probe = probe;
    this.metrics = metrics;
  }

  /** Transactions aborted since the last commit (kept across {@link #reset()}). */
  int abortsInARow() {
    return abortsInARow;
  }

  boolean isOpen() {
    return open;
  }

  /** Nanoseconds since the transaction began (0 when none is open). */
  long ageNanos() {
    return open ? System.nanoTime() - openedNanos : 0;
  }

  /** The records whose offsets this transaction would commit. */
  List<ConsumerRecord<byte[], byte[]>> consumed() {
    return List.copyOf(consumed);
  }

  /**
   * Sends one batch's records, beginning a transaction when none is open.
   *
   * @throws KafkaException when sending fails; fatal producer errors are rethrown as they are
   */
  void add(final List<ConsumerRecord<byte[], byte[]>> records, final EncodedRecords encoded) {
    if (!open) {
      producer.beginTransaction();
      open = true;
      openedNanos = System.nanoTime();
    }
    consumed.addAll(records);
    for (final ConsumerRecord<byte[], byte[]> record : records) {
      offsets.merge(
          new TopicPartition(record.topic(), record.partition()),
          new OffsetAndMetadata(record.offset() + 1),
          (a, b) -> a.offset() >= b.offset() ? a : b);
    }
    encoded.embeddings().forEach(producer::send);
    encoded.deadLetters().forEach(producer::send);
    keys.addAll(encoded.keys());
    embeddings += encoded.embeddings().size();
    deadLetters += encoded.deadLetters().size();
  }

  /**
   * Adds the offsets and commits. On a retriable failure the transaction is aborted and false
   * returned; {@link #consumed()} then still names the records to read again.
   */
  boolean commit() {
    if (!open) {
      return true;
    }
    try {
      probe.beforeCommit(producer, List.copyOf(keys));
      producer.sendOffsetsToTransaction(offsets, group.get());
      producer.commitTransaction();
      metrics.committed(embeddings, deadLetters);
      abortsInARow = 0;
      reset();
      return true;
    } catch (KafkaException e) {
      if (KafkaClients.isFatal(e)) {
        throw e;
      }
      metrics.error("transaction");
      abort();
      return false;
    }
  }

  /** Aborts the open transaction, if any; {@link #consumed()} keeps its records until reset. */
  void abort() {
    if (open) {
      abortsInARow++;
      producer.abortTransaction();
      open = false;
    }
  }

  /** Forgets the (committed or aborted) transaction's bookkeeping. */
  void reset() {
    open = false;
    consumed.clear();
    offsets.clear();
    keys.clear();
    embeddings = 0;
    deadLetters = 0;
  }
}
