package io.medsam.stream.trainer.intake;

import io.medsam.stream.topology.DeadLetterProducer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The intake loop. On start it replays the embeddings and corrections topics from the beginning
 * (the corrections topic is the log of labelled pairs), skipping the corrections that an earlier
 * run dead-lettered, so the pair store is rebuilt exactly. It then follows both topics. It commits,
 * for its consumer group, the corrections offset below which every correction has been resolved
 * (pair or dead letter), which lets a client wait until its corrections are in.
 */
public final class CorrectionIntake implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CorrectionIntake.class);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final IntakeProcessor processor;
  private final String correctionsTopic;
  private final String embeddingsTopic;
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private final Thread thread;
  private final Map<TopicPartition, Long> committed = new HashMap<>();
  private final DeadLetterProducer deadLetters;
  private final EmbeddingFetcher fetcher;
  private final Consumer<Throwable> onFailure;
  private volatile boolean running = true;
  private volatile Throwable failure;
  private volatile int pendingCount;

  /**
   * @param consumerConfig consumer settings including bootstrap servers and the group id
   * @param onFailure told, on the intake thread, the error that stopped the loop
   */
  public CorrectionIntake(
      final Map<String, Object> consumerConfig,
      final String correctionsTopic,
      final String embeddingsTopic,
      final CorrectionValidator validator,
      final PairStore store,
      final DeadLetterLedger ledger,
      final DeadLetterProducer deadLetters,
      final Duration embeddingTimeout,
      final int maxPending,
      final Consumer<Throwable> onFailure) {
    this.onFailure = onFailure;
    final Map<String, Object> config = new HashMap<>(consumerConfig);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.correctionsTopic = correctionsTopic;
    this.embeddingsTopic = embeddingsTopic;
    this.deadLetters = deadLetters;
    this.fetcher = new EmbeddingFetcher(consumerConfig, embeddingsTopic);
    this.processor =
        new IntakeProcessor(
            correctionsTopic,
            validator,
            store,
            ledger,
            deadLetters,
            embeddingTimeout,
            maxPending,
            fetcher::fetch,
            Clock.systemUTC());
    this.thread = new Thread(this::run, "trainer-intake");
  }

  /** Starts the loop on its own thread. */
  public void start() {
    thread.start();
  }

  /** Waits until the replay of everything present at start is done. */
  public boolean awaitCaughtUp(final Duration timeout) throws InterruptedException {
    return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Decision counts since start. */
  public IntakeCounts counts() {
    return processor.counts();
  }

  /** Slices whose embedding bytes are held: those with labelled pairs, not every slice seen. */
  public int embeddingsHeld() {
    return processor.embeddingsHeld();
  }

  /** Corrections waiting for their slice's embedding, as of the last poll. */
  public int pendingCorrections() {
    return pendingCount;
  }

  /** The failure that stopped the loop, if any. */
  public Throwable failure() {
    return failure;
  }

  private void run() {
    try {
      final List<TopicPartition> parts = new ArrayList<>();
      for (final String topic : List.of(embeddingsTopic, correctionsTopic)) {
        consumer
            .partitionsFor(topic)
            .forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      final Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      LOG.info("intake replaying {} partitions up to {}", parts.size(), end);
      while (running) {
        final ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
        for (final ConsumerRecord<byte[], byte[]> r : records.records(embeddingsTopic)) {
          processor.onEmbedding(r);
        }
        for (final ConsumerRecord<byte[], byte[]> r : records) {
          if (r.topic().equals(correctionsTopic)) {
            processor.onCorrection(r);
          }
        }
        processor.expire();
        pendingCount = processor.pendingCount();
        commitResolved(parts);
        if (caughtUp.getCount() > 0
            && parts.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp))) {
          LOG.info(
              "intake caught up: {} ({} waiting for embeddings)",
              processor.counts(),
              processor.pendingCount());
          caughtUp.countDown();
        }
      }
    } catch (WakeupException e) {
      if (running) {
        failure = e;
      }
    } catch (RuntimeException | Error e) {
      failure = e;
      LOG.error("intake stopped", e);
    } finally {
      consumer.close();
      fetcher.close();
    }
    if (failure != null) {
      onFailure.accept(failure);
    }
  }

  private void commitResolved(final List<TopicPartition> parts) {
    final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (final TopicPartition tp : parts) {
      if (!tp.topic().equals(correctionsTopic)) {
        continue;
      }
      final long resolved =
          processor.lowestPendingOffset(tp.partition()).orElse(consumer.position(tp));
      if (!Long.valueOf(resolved).equals(committed.get(tp))) {
        offsets.put(tp, new OffsetAndMetadata(resolved));
      }
    }
    if (!offsets.isEmpty()) {
      deadLetters.flush();
      consumer.commitSync(offsets);
      offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(10_000);
  }
}
