package io.medsam.stream.trainer;

import io.medsam.stream.avro.TrainerStatus;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.topology.Topics;
import io.medsam.stream.trainer.intake.CorrectionIntake;
import io.medsam.stream.trainer.intake.PairStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what the trainer is doing on {@link Topics#TRAINER_STATUS} (compacted, key the decoder
 * model id): pairs taken in, new pairs waiting for a run, corrections waiting for embeddings, the
 * run in progress, and the last run's decision. It looks every {@code period} and sends a record
 * when anything but the time changed (and at least every {@link #HEARTBEAT}), so a viewer shows the
 * trainer's state from Kafka, never from the trainer's memory.
 */
public final class TrainerStatusPublisher implements AutoCloseable {

  /** The longest time between two records of a running trainer. */
  public static final Duration HEARTBEAT = Duration.ofMinutes(1);

  private static final Logger LOG = LoggerFactory.getLogger(TrainerStatusPublisher.class);

  private final String modelId;
  private final String trainer;
  private final PairStore store;
  private final CorrectionIntake intake;
  private final TrainingScheduler scheduler;
  private final Producer<byte[], byte[]> producer;
  private final Clock clock;
  private final AvroCodec<TrainerStatus> codec = AvroCodec.of(TrainerStatus.class);
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "trainer-status"));
  private TrainerStatus last;
  private Instant lastSent = Instant.EPOCH;

  /**
   * @param producer a plain (non-transactional) producer; the caller owns and closes it
   */
  TrainerStatusPublisher(
      final String modelId,
      final String trainer,
      final PairStore store,
      final CorrectionIntake intake,
      final TrainingScheduler scheduler,
      final Producer<byte[], byte[]> producer,
      final Clock clock) {
    this.modelId = modelId;
    this.trainer = trainer;
    this.store = store;
    this.intake = intake;
    this.scheduler = scheduler;
    this.producer = producer;
    this.clock = clock;
  }

  /** Looks every {@code period}, the first time now. */
  void start(final Duration period) {
    ticker.scheduleWithFixedDelay(this::tick, 0, period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The status now (its {@code updatedAt} the clock's time). */
  TrainerStatus current() {
    final List<FineTuneCycle.Result> results = scheduler.results();
    final FineTuneCycle.Result r = results.isEmpty() ? null : results.get(results.size() - 1);
    final int pairs = store.size();
    return TrainerStatus.newBuilder()
        .setModelId(modelId)
        .setTrainer(trainer)
        .setPairs(pairs)
        .setNewPairs(Math.max(0, pairs - scheduler.pairsAtLastRun()))
        .setPendingCorrections(intake.pendingCorrections())
        .setRejectedCorrections(intake.counts().rejected())
        .setMinNewPairs(scheduler.minNewPairs())
        .setRunning(scheduler.running())
        .setRuns(results.size())
        .setLastRunStartedAt(scheduler.lastRunStarted())
        .setLastRunFinishedAt(scheduler.lastRunFinished())
        .setLastDecision(r == null ? null : r.decision().name())
        .setLastVersion(r == null ? null : r.version())
        .setLastReason(r == null ? null : r.reason())
        .setLastHoldoutDscBefore(r == null || Double.isNaN(r.dscBefore()) ? null : r.dscBefore())
        .setLastHoldoutDscAfter(r == null || Double.isNaN(r.dscAfter()) ? null : r.dscAfter())
        .setUpdatedAt(clock.instant())
        .build();
  }

  private void tick() {
    try {
      final TrainerStatus now = current();
      final boolean changed = last == null || !sameButTime(last, now);
      if (changed || !clock.instant().isBefore(lastSent.plus(HEARTBEAT))) {
        producer.send(
            new ProducerRecord<>(
                Topics.TRAINER_STATUS,
                modelId.getBytes(StandardCharsets.UTF_8),
                codec.encode(now)));
        producer.flush();
        last = now;
        lastSent = clock.instant();
      }
    } catch (RuntimeException e) {
      // thrown out of a fixed-delay task, it would end the publisher silently
      LOG.warn("trainer status not published; trying again at the next tick", e);
    }
  }

  private static boolean sameButTime(final TrainerStatus a, final TrainerStatus b) {
    final TrainerStatus copy = TrainerStatus.newBuilder(b).setUpdatedAt(a.getUpdatedAt()).build();
    return a.equals(copy);
  }

  /** Stops looking; publishes one last status. */
  @Override
  public void close() {
    ticker.shutdownNow();
    try {
      ticker.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    last = null;
    tick();
  }
}
