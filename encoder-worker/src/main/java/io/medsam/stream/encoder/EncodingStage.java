package io.medsam.stream.encoder;

import io.medsam.stream.avro.ImageSlice;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.topology.DeadLetterProducer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The encoder worker's second stage: turns consumed slice records into producer records on its own
 * thread (model input, one batched encoder run, float16, Avro), so that the polling thread can send
 * and commit the previous batch meanwhile. A slice that cannot be decoded, whose pixels do not
 * match its shape or whose height × width is past the limit is a dead letter before encoding. A
 * batch that fails to encode (an ONNX Runtime error, any runtime exception, an OutOfMemoryError) is
 * retried slice by slice; a slice that still fails becomes a dead letter, and the others of its
 * batch are encoded.
 */
final class EncodingStage implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EncodingStage.class);

  private final SliceBatchEncoder encoder;
  private final EncoderMetrics metrics;
  private final String embeddingTopic;
  private final ExecutorService thread;
  private final AvroCodec<ImageSlice> sliceCodec = AvroCodec.of(ImageSlice.class);
  private final AvroCodec<SliceEmbedding> embeddingCodec = AvroCodec.of(SliceEmbedding.class);
  private final DeadLetterProducer deadLetterProducer;
  private final long maxSlicePixels;

  EncodingStage(
      final SliceBatchEncoder encoder,
      final EncoderMetrics metrics,
      final DeadLetterProducer deadLetterProducer,
      final String embeddingTopic,
      final String threadName,
      final long maxSlicePixels) {
    this.encoder = encoder;
    this.maxSlicePixels = maxSlicePixels;
    this.deadLetterProducer = deadLetterProducer;
    this.metrics = metrics;
    this.embeddingTopic = embeddingTopic;
    this.thread =
        Executors.newSingleThreadExecutor(
            task -> {
              final Thread t = new Thread(task, threadName);
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Decodes {@code batch} here (undecodable or malformed slices become dead letters) and encodes
   * the rest on the encoder thread.
   */
  Future<EncodedRecords> submit(final List<ConsumerRecord<byte[], byte[]>> batch) {
    final List<ConsumerRecord<byte[], byte[]>> accepted = new ArrayList<>(batch.size());
    final List<ImageSlice> slices = new ArrayList<>(batch.size());
    final List<ProducerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
    for (final ConsumerRecord<byte[], byte[]> record : batch) {
      try {
        final ImageSlice slice =
            sliceCodec.decode(record.value(), record.topic(), record.partition(), record.offset());
        final long pixels = (long) slice.getHeight() * slice.getWidth();
        if (pixels > maxSlicePixels) {
          throw new IllegalArgumentException(
              "slice "
                  + slice.getSliceKey()
                  + " is "
                  + slice.getHeight()
                  + "x"
                  + slice.getWidth()
                  + " = "
                  + pixels
                  + " pixels, more than the encoder's limit of "
                  + maxSlicePixels
                  + " pixels per slice");
        }
        SliceImages.toSlice2D(slice); // rejects a pixel count that does not match the shape
        accepted.add(record);
        slices.add(slice);
      } catch (RuntimeException | OutOfMemoryError e) { // RecordDecodingException and any other
        metrics.error("decode");
        deadLetters.add(deadLetterProducer.record(record, e));
      }
    }
    return thread.submit(() -> encode(accepted, slices, deadLetters));
  }

  private EncodedRecords encode(
      final List<ConsumerRecord<byte[], byte[]>> records,
      final List<ImageSlice> slices,
      final List<ProducerRecord<byte[], byte[]>> deadLetters) {
    final List<SliceEmbedding> embeddings = encodeIsolatingFailures(records, slices, deadLetters);
    final List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(embeddings.size());
    final List<String> keys = new ArrayList<>(embeddings.size());
    for (final SliceEmbedding embedding : embeddings) {
      keys.add(embedding.getSliceKey());
      out.add(
          new ProducerRecord<>(
              embeddingTopic,
              embedding.getSliceKey().getBytes(StandardCharsets.UTF_8),
              embeddingCodec.encode(embedding)));
    }
    return new EncodedRecords(out, deadLetters, keys);
  }

  private List<SliceEmbedding> encodeIsolatingFailures(
      final List<ConsumerRecord<byte[], byte[]>> records,
      final List<ImageSlice> slices,
      final List<ProducerRecord<byte[], byte[]>> deadLetters) {
    if (slices.isEmpty()) {
      return List.of();
    }
    try {
      final SliceBatchEncoder.EncodedBatch batch = encoder.encode(slices);
      metrics.batchEncoded(slices.size(), batch.encodeNanos());
      return batch.embeddings();
    } catch (EncoderException | RuntimeException | OutOfMemoryError e) {
      metrics.error("encode");
      LOG.warn(
          "batch of {} failed to encode, retrying slice by slice: {}",
          slices.size(),
          e.getMessage());
    }
    final List<SliceEmbedding> embeddings = new ArrayList<>(slices.size());
    for (int i = 0; i < slices.size(); i++) {
      try {
        final SliceBatchEncoder.EncodedBatch single = encoder.encode(List.of(slices.get(i)));
        metrics.batchEncoded(1, single.encodeNanos());
        embeddings.addAll(single.embeddings());
      } catch (EncoderException | RuntimeException | OutOfMemoryError e) {
        metrics.error("encode");
        deadLetters.add(deadLetterProducer.record(records.get(i), e));
      }
    }
    return embeddings;
  }

  /**
   * Stops the encoder thread, interrupting a batch in progress, and waits up to 30 s for it to end
   * so that the session can be closed after it.
   */
  @Override
  public void close() {
    thread.shutdownNow();
    try {
      if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("the encoder thread did not end within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
