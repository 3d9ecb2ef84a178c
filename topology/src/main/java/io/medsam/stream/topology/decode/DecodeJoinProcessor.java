package io.medsam.stream.topology.decode;

import io.medsam.stream.avro.BoxPrompt;
import io.medsam.stream.avro.MaskStatus;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.avro.serde.AvroCodec;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins prompts with embeddings of the same sliceKey (one instance per task, i.e. per
 * co-partitioned pair of partitions): decodes and checks each input record, then hands the pairs to
 * the {@link DecodeBatcher}. The parts: {@link PromptStores} (join state), {@link DecodeChecks}
 * (validation), {@link BurstDetector} (lone prompt or burst), {@link DecodeBatcher} (batches and
 * the decoder), {@link PromptTimeouts} (the timeout punctuation), {@link MaskResults} (every
 * answer) and {@link DecodeOutput} (results and dead letters).
 *
 * <p>All three stores are changelogged, so under exactly-once a prompt whose input offset is
 * committed is either answered in the same transaction or still in a store.
 *
 * <p>Batching: a paired prompt is decoded (a) at once when {@code maxBatchSize} prompts are ready,
 * (b) at once when an embedding lands and pairs waiting prompts, (c) at once when the prompt is
 * lone, else (d) by a wall-clock punctuation every {@code flushInterval}. A 1 ms punctuation would
 * flush after every loop of the stream thread, but Kafka Streams halves the records it processes
 * per loop whenever a punctuator fires, which would shrink every batch to one prompt under load.
 */
final class DecodeJoinProcessor implements Processor<String, byte[], String, SpecificRecord> {

  private static final Logger LOG = LoggerFactory.getLogger(DecodeJoinProcessor.class);

  private final DecodeTopologyConfig config;
  private final BurstDetector bursts;
  private final AvroCodec<BoxPrompt> promptCodec = AvroCodec.of(BoxPrompt.class);
  private final AvroCodec<SliceEmbedding> embeddingCodec = AvroCodec.of(SliceEmbedding.class);

  private ProcessorContext<String, SpecificRecord> context;
  private PromptStores stores;
  private DecodeOutput output;
  private DecodeBatcher batcher;

  DecodeJoinProcessor(final DecodeTopologyConfig config) {
    this.config = config;
    this.bursts = new BurstDetector(config.burstGap(), config.backlogAge());
  }

  @Override
  public void init(final ProcessorContext<String, SpecificRecord> ctx) {
    this.context = ctx;
    this.stores = PromptStores.of(ctx);
    this.output = new DecodeOutput(ctx);
    this.batcher = new DecodeBatcher(config, stores, output);
    ctx.schedule(config.flushInterval(), PunctuationType.WALL_CLOCK_TIME, batcher::flushIfReady);
    ctx.schedule(
        config.timeoutCheckInterval(),
        PunctuationType.WALL_CLOCK_TIME,
        new PromptTimeouts(config.promptTimeout(), stores, output));
  }

  @Override
  public void process(final Record<String, byte[]> record) {
    final RecordMetadata meta = context.recordMetadata().orElseThrow();
    if (DecodeTopology.EMBEDDINGS_TOPIC.equals(meta.topic())) {
      onEmbedding(record, meta);
    } else {
      onPrompt(record, meta);
    }
  }

  private void onPrompt(final Record<String, byte[]> record, final RecordMetadata meta) {
    final long now = context.currentSystemTimeMs();
    if (record.value() == null) {
      output.deadLetter(meta, record, new SerializationException("prompt record has a null value"));
      return;
    }
    final BoxPrompt prompt;
    try {
      prompt = promptCodec.decode(record.value(), meta.topic(), meta.partition(), meta.offset());
    } catch (final SerializationException e) {
      output.deadLetter(meta, record, e);
      return;
    }
    final boolean lone = bursts.next(record.timestamp(), now);
    final PendingPrompt pp = new PendingPrompt(prompt, now, meta.partition(), meta.offset());
    final Optional<String> problem = DecodeChecks.promptProblem(prompt, record.key());
    if (problem.isPresent()) {
      output.answer(pp, MaskStatus.INVALID_PROMPT, problem.get(), now);
      return;
    }
    final SliceEmbedding embedding = stores.embedding(prompt.getSliceKey());
    if (embedding == null) {
      if (stores.waitingCount() >= config.maxWaitingPrompts()) {
        output.answer(
            pp,
            MaskStatus.ERROR,
            "refused: "
                + config.maxWaitingPrompts()
                + " prompts already wait for their embeddings on this decoder partition (the"
                + " cap); send it again once the slice's embedding is published",
            now);
        return;
      }
      LOG.debug("prompt {} waits for the embedding of {}", prompt.getPromptId(), record.key());
      stores.waitForEmbedding(pp);
      return;
    }
    final Optional<String> outside = DecodeChecks.boxProblem(prompt, embedding);
    if (outside.isPresent()) {
      output.answer(pp, MaskStatus.INVALID_PROMPT, outside.get(), now);
    } else if (lone && stores.readyCount() == 0) {
      // decoded and answered within this record's processing: no need to pass through the ready
      // store (whose changelog would add two writes and a partition to the transaction)
      batcher.decodeNow(pp, embedding, now);
      context.commit();
    } else {
      batcher.add(pp, embedding, now);
      if (lone) {
        flushAndCommit(now);
      }
    }
  }

  private void onEmbedding(final Record<String, byte[]> record, final RecordMetadata meta) {
    final long now = context.currentSystemTimeMs();
    if (record.key() == null) {
      output.deadLetter(
          meta, record, new SerializationException("embedding record has a null key"));
      return;
    }
    if (record.value() == null) {
      LOG.info("embedding of {} deleted (tombstone)", record.key());
      stores.deleteEmbedding(record.key());
      return;
    }
    final SliceEmbedding embedding;
    try {
      embedding =
          embeddingCodec.decode(record.value(), meta.topic(), meta.partition(), meta.offset());
    } catch (final SerializationException e) {
      output.deadLetter(meta, record, e);
      return;
    }
    final Optional<String> problem = DecodeChecks.embeddingProblem(embedding, record.key());
    if (problem.isPresent()) {
      output.deadLetter(
          meta, record, new SerializationException("unusable embedding: " + problem.get()));
      return;
    }
    stores.putEmbedding(record.key(), embedding);
    LOG.debug(
        "stored the embedding of {} ({}-{}@{})",
        record.key(),
        meta.topic(),
        meta.partition(),
        meta.offset());
    final List<PendingPrompt> waiting = stores.takeWaiting(record.key());
    for (final PendingPrompt pp : waiting) {
      batcher.add(pp, embedding, now);
    }
    if (!waiting.isEmpty()) {
      flushAndCommit(now); // the prompts that waited for this embedding form one batch
    }
  }

  /**
   * Decodes what is ready and asks Kafka Streams to commit right after this processing step: under
   * exactly-once the results become visible only when the transaction commits, and a lone prompt
   * should not wait for the commit interval. Batches of a burst or backlog are flushed without this
   * request, so commits follow the commit interval and cost less per prompt.
   */
  private void flushAndCommit(final long now) {
    if (batcher.flushIfReady(now)) {
      context.commit();
    }
  }
}
