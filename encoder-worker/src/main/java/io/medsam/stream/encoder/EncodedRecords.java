package io.medsam.stream.encoder;

import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Producer records ready to send for one encoded batch.
 *
 * @param embeddings one SliceEmbedding record per encoded slice
 * @param deadLetters one DeadLetter record per slice that could not be decoded or encoded
 * @param keys the slice keys of {@code embeddings}
 */
record EncodedRecords(
    List<ProducerRecord<byte[], byte[]>> embeddings,
    List<ProducerRecord<byte[], byte[]>> deadLetters,
    List<String> keys) {}
