package io.medsam.stream.encoder;

import java.util.List;
import org.apache.kafka.clients.producer.Producer;

/**
 * A seam inside the encoder's transaction, called after a batch's records are sent and before its
 * offsets are added and the transaction committed. Production code uses {@link #NONE}; the kill
 * test uses it to crash a worker with an open transaction whose records are in the log.
 */
@FunctionalInterface
interface TransactionProbe {

  /** Does nothing. */
  TransactionProbe NONE = (producer, keys) -> {};

  /**
   * @param producer the worker's transactional producer (an open transaction is in progress)
   * @param keys the slice keys sent in this transaction
   */
  void beforeCommit(Producer<byte[], byte[]> producer, List<String> keys);
}
