package io.medsam.stream.topology.decode;

import io.medsam.stream.avro.BoxPrompt;
import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.MaskStatus;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.avro.serde.AvroCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins prompts with embeddings of the same sliceKey (one instance per task, i.e. per
 * co-partitioned pair of partitions) and decodes ready prompts in batches.
 *
 * <p>State: the latest embedding per sliceKey; prompts waiting for their embedding ("pending");
 * prompts paired and waiting for the next batch ("ready"). All three stores are changelogged, so
 * under exactly-once a prompt whose input offset is committed is either answered in the same
 * transaction or still in a store.
 *
 * <p>Batching: a paired prompt is put in the ready store, which is flushed to the decoder as one
 * batch (a) at once when {@code maxBatchSize} prompts are ready, (b) at once when an embedding
 * lands and pairs waiting prompts, (c) at once when the prompt is not part of a burst (its
 * timestamp is at least {@code burstGap} after the previous prompt's: nothing else is coming to
 * batch it with, so waiting would only add latency), else (d) by a wall-clock punctuation every
 * {@code flushInterval}. A prompt processed more than {@code backlogAge} after it was sent is never
 * lone: the worker is behind, and the prompts queued behind it should share its batch. A 1 ms
 * punctuation would flush after every loop of the stream thread, but Kafka Streams halves the
 * records it processes per loop whenever a punctuator fires, which would shrink every batch to one
 * prompt under load.
 */
final class DecodeJoinProcessor implements Processor<String, byte[], String, SpecificRecord> {

  private static final Logger LOG = LoggerFactory.getLogger(DecodeJoinProcessor.class);

  private final DecodeTopologyConfig config;
  private final BatchDecoder batchDecoder;
  private final AvroCodec<BoxPrompt> promptCodec = AvroCodec.of(BoxPrompt.class);
  private final AvroCodec<SliceEmbedding> embeddingCodec = AvroCodec.of(SliceEmbedding.class);
  private final StringSerializer prefixSerializer = new StringSerializer();

  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, SliceEmbedding> embeddings;
  private KeyValueStore<String, PendingPrompt> pending;
  private KeyValueStore<String, PendingPrompt> ready;
  private int readyCount;
  private long lastPromptTimestamp;
  private boolean anyPrompt;

  DecodeJoinProcessor(final DecodeTopologyConfig config) {
    this.config = config;
    this.batchDecoder = new BatchDecoder(config.decoder());
  }

  @Override
  public void init(final ProcessorContext<String, SpecificRecord> ctx) {
    this.context = ctx;
    this.embeddings = ctx.getStateStore(DecodeTopology.EMBEDDING_STORE);
    this.pending = ctx.getStateStore(DecodeTopology.PENDING_STORE);
    this.ready = ctx.getStateStore(DecodeTopology.READY_STORE);
    this.readyCount = (int) ready.approximateNumEntries();
    ctx.schedule(config.flushInterval(), PunctuationType.WALL_CLOCK_TIME, this::flushIfReady);
    ctx.schedule(config.timeoutCheckInterval(), PunctuationType.WALL_CLOCK_TIME, this::expire);
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
      deadLetter(meta, record, new SerializationException("prompt record has a null value"));
      return;
    }
    final BoxPrompt prompt;
    try {
      prompt = promptCodec.decode(record.value(), meta.topic(), meta.partition(), meta.offset());
    } catch (final SerializationException e) {
      deadLetter(meta, record, e);
      return;
    }
    final long gap = anyPrompt ? record.timestamp() - lastPromptTimestamp : Long.MAX_VALUE;
    final long age = now - record.timestamp(); // negative when the sender's clock is ahead
    final boolean lone =
        gap >= config.burstGap().toMillis() && age < config.backlogAge().toMillis();
    anyPrompt = true;
    lastPromptTimestamp = record.timestamp();
    final PendingPrompt pp = new PendingPrompt(prompt, now, meta.partition(), meta.offset());
    final Optional<String> problem = promptProblem(prompt, record.key());
    if (problem.isPresent()) {
      answer(pp, MaskStatus.INVALID_PROMPT, problem.get(), now);
      return;
    }
    final SliceEmbedding embedding = embeddings.get(prompt.getSliceKey());
    if (embedding == null) {
      LOG.debug("prompt {} waits for the embedding of {}", prompt.getPromptId(), record.key());
      pending.put(pp.storeKey(), pp);
    } else {
      final Optional<String> outside =
          BoxChecks.boundsProblem(
              prompt.getBox(), embedding.getImageHeight(), embedding.getImageWidth());
      if (outside.isPresent()) {
        answer(pp, MaskStatus.INVALID_PROMPT, outside.get(), now);
      } else if (lone && readyCount == 0) {
        // decoded and answered within this record's processing: no need to pass through the
        // ready store (whose changelog would add two writes and a partition to the transaction)
        decodeAndEmit(
            List.of(new DecodeRequest(prompt, embedding, Instant.ofEpochMilli(now))), List.of(pp));
        context.commit();
      } else {
        pairWith(pp, embedding, now);
        if (lone && readyCount > 0) {
          flushAndCommit(now);
        }
      }
    }
  }

  private static Optional<String> promptProblem(final BoxPrompt prompt, final String key) {
    if (key == null || !key.equals(prompt.getSliceKey())) {
      return Optional.of(
          "record key " + key + " does not match the prompt's sliceKey " + prompt.getSliceKey());
    }
    if (prompt.getPromptId() == null || prompt.getPromptId().isBlank()) {
      return Optional.of("promptId is empty");
    }
    return BoxChecks.basicProblem(prompt.getBox());
  }

  private void onEmbedding(final Record<String, byte[]> record, final RecordMetadata meta) {
    final long now = context.currentSystemTimeMs();
    if (record.key() == null) {
      deadLetter(meta, record, new SerializationException("embedding record has a null key"));
      return;
    }
    if (record.value() == null) {
      LOG.info("embedding of {} deleted (tombstone)", record.key());
      embeddings.delete(record.key());
      return;
    }
    final SliceEmbedding embedding;
    try {
      embedding =
          embeddingCodec.decode(record.value(), meta.topic(), meta.partition(), meta.offset());
    } catch (final SerializationException e) {
      deadLetter(meta, record, e);
      return;
    }
    Optional<String> problem = BoxChecks.embeddingProblem(embedding);
    if (problem.isEmpty() && !record.key().equals(embedding.getSliceKey())) {
      problem =
          Optional.of(
              "record key " + record.key() + " does not match sliceKey " + embedding.getSliceKey());
    }
    if (problem.isPresent()) {
      deadLetter(meta, record, new SerializationException("unusable embedding: " + problem.get()));
      return;
    }
    embeddings.put(record.key(), embedding);
    LOG.debug(
        "stored the embedding of {} ({}-{}@{})",
        record.key(),
        meta.topic(),
        meta.partition(),
        meta.offset());
    final List<KeyValue<String, PendingPrompt>> waiting = new ArrayList<>();
    try (KeyValueIterator<String, PendingPrompt> it =
        pending.prefixScan(PendingPrompt.slicePrefix(record.key()), prefixSerializer)) {
      it.forEachRemaining(waiting::add);
    }
    for (final KeyValue<String, PendingPrompt> kv : waiting) {
      pending.delete(kv.key);
      pairWith(kv.value, embedding, now);
    }
    if (!waiting.isEmpty() && readyCount > 0) {
      flushAndCommit(now); // the prompts that waited for this embedding form one batch
    }
  }

  /** Validates the box against the image size and queues the prompt for the next batch. */
  private void pairWith(final PendingPrompt pp, final SliceEmbedding embedding, final long now) {
    final Optional<String> problem =
        BoxChecks.boundsProblem(
            pp.prompt().getBox(), embedding.getImageHeight(), embedding.getImageWidth());
    if (problem.isPresent()) {
      answer(pp, MaskStatus.INVALID_PROMPT, problem.get(), now);
      return;
    }
    ready.put(pp.storeKey(), pp);
    readyCount++;
    if (readyCount >= config.maxBatchSize()) {
      flush(now);
    }
  }

  /**
   * Decodes what is ready and asks Kafka Streams to commit right after this processing step: under
   * exactly-once the results become visible only when the transaction commits, and a lone prompt
   * should not wait for the commit interval. Batches of a burst or backlog are flushed without this
   * request, so commits follow the commit interval and cost less per prompt.
   */
  private void flushAndCommit(final long now) {
    if (flushIfReady(now)) {
      context.commit();
    }
  }

  /** Flushes when anything is ready; returns whether it did. */
  private boolean flushIfReady(final long now) {
    if (readyCount > 0 || ready.approximateNumEntries() > 0) {
      flush(now);
      return true;
    }
    return false;
  }

  /** Decodes every ready prompt, at most maxBatchSize per decoder call. */
  private void flush(final long now) {
    while (true) {
      final List<KeyValue<String, PendingPrompt>> taken = new ArrayList<>();
      try (KeyValueIterator<String, PendingPrompt> it = ready.all()) {
        while (it.hasNext() && taken.size() < config.maxBatchSize()) {
          taken.add(it.next());
        }
      }
      if (taken.isEmpty()) {
        readyCount = 0;
        return;
      }
      final List<DecodeRequest> requests = new ArrayList<>(taken.size());
      final List<PendingPrompt> prompts = new ArrayList<>(taken.size());
      for (final KeyValue<String, PendingPrompt> kv : taken) {
        ready.delete(kv.key);
        final PendingPrompt pp = kv.value;
        final SliceEmbedding embedding = embeddings.get(pp.prompt().getSliceKey());
        if (embedding == null) {
          pending.put(kv.key, pp); // the embedding was deleted meanwhile: wait again
          continue;
        }
        final Optional<String> problem =
            BoxChecks.boundsProblem(
                pp.prompt().getBox(), embedding.getImageHeight(), embedding.getImageWidth());
        if (problem.isPresent()) {
          answer(pp, MaskStatus.INVALID_PROMPT, problem.get(), now);
          continue;
        }
        requests.add(
            new DecodeRequest(pp.prompt(), embedding, Instant.ofEpochMilli(pp.receivedAtMs())));
        prompts.add(pp);
      }
      if (!requests.isEmpty()) {
        decodeAndEmit(requests, prompts);
      }
    }
  }

  /** Decodes one batch and forwards a result (and a dead letter for each ERROR) per prompt. */
  private void decodeAndEmit(
      final List<DecodeRequest> requests, final List<PendingPrompt> prompts) {
    final long start = System.nanoTime();
    final List<MaskResult> results = batchDecoder.decode(requests);
    LOG.debug(
        "decoded a batch of {} in {} ms", requests.size(), (System.nanoTime() - start) / 1_000_000);
    final long done = context.currentSystemTimeMs() + (System.nanoTime() - start) / 1_000_000;
    for (int i = 0; i < results.size(); i++) {
      emit(prompts.get(i), MaskResults.stamp(results.get(i), prompts.get(i).prompt(), done), done);
    }
  }

  /** Answers prompts that waited longer than the timeout for their embedding. */
  private void expire(final long now) {
    final long limit = config.promptTimeout().toMillis();
    final List<KeyValue<String, PendingPrompt>> expired = new ArrayList<>();
    try (KeyValueIterator<String, PendingPrompt> it = pending.all()) {
      while (it.hasNext()) {
        final KeyValue<String, PendingPrompt> kv = it.next();
        if (now - kv.value.receivedAtMs() >= limit) {
          expired.add(kv);
        }
      }
    }
    for (final KeyValue<String, PendingPrompt> kv : expired) {
      pending.delete(kv.key);
      final String slice = kv.value.prompt().getSliceKey();
      LOG.info(
          "prompt {} timed out waiting for the embedding of {}",
          kv.value.prompt().getPromptId(),
          slice);
      answer(
          kv.value,
          MaskStatus.TIMEOUT,
          "no embedding for slice " + slice + " within " + config.promptTimeout(),
          now);
    }
  }

  private void answer(
      final PendingPrompt pp, final MaskStatus status, final String reason, final long now) {
    if (status != MaskStatus.TIMEOUT) {
      LOG.info("prompt {} answered {}: {}", pp.prompt().getPromptId(), status, reason);
    }
    emit(pp, MaskResults.withoutMask(pp.prompt(), status, reason, now), now);
  }

  private void emit(final PendingPrompt pp, final MaskResult result, final long now) {
    context.forward(new Record<>(pp.prompt().getSliceKey(), result, now));
    if (result.getStatus() == MaskStatus.ERROR) {
      final String reason = result.getReason() == null ? "decoder error" : result.getReason();
      context.forward(
          new Record<>(
              pp.prompt().getSliceKey(),
              DecodeDeadLetters.of(
                  DecodeTopology.PROMPTS_TOPIC,
                  pp.sourcePartition(),
                  pp.sourceOffset(),
                  pp.prompt().getSliceKey(),
                  new MaskDecodingException(reason),
                  promptCodec.encode(pp.prompt())),
              now));
    }
  }

  private void deadLetter(
      final RecordMetadata meta, final Record<String, byte[]> record, final Exception cause) {
    LOG.warn(
        "dead letter from {}-{}@{} (key {}): {}",
        meta.topic(),
        meta.partition(),
        meta.offset(),
        record.key(),
        cause.getMessage());
    context.forward(
        new Record<>(
            record.key(),
            DecodeDeadLetters.of(
                meta.topic(), meta.partition(), meta.offset(), record.key(), cause, record.value()),
            context.currentSystemTimeMs()));
  }
}
