package io.medsam.stream.trainer;

import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.trainer.intake.TrainingPair;
import io.medsam.stream.trainer.model.TrainableDecoder;
import io.medsam.stream.trainer.publish.WeightTensors;
import io.medsam.stream.trainer.publish.WeightsHistory;
import io.medsam.stream.trainer.publish.WeightsPublicationException;
import io.medsam.stream.trainer.publish.WeightsPublisher;
import io.medsam.stream.trainer.train.DecoderFineTuner;
import io.medsam.stream.trainer.train.HoldoutEvaluator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training run end to end: start from the weights in force (the model's latest record in the
 * weights history, which is also the latest on the serving topic, or the bundle's own), score them
 * on the holdout, fine-tune on the training pairs, score the candidate, and publish it only if the
 * holdout Dice did not drop.
 */
public final class FineTuneCycle {

  private static final Logger LOG = LoggerFactory.getLogger(FineTuneCycle.class);

  /** How a run ended. */
  public enum Decision {
    /** The candidate was published. */
    PUBLISHED,
    /** The gate rejected the candidate. */
    REJECTED,
    /** Not enough pairs to train or to gate. */
    SKIPPED,
    /**
     * Other weights came into force while the run trained (a rollback): the candidate, trained from
     * the weights it replaced, is discarded and the next run starts from the new ones.
     */
    SUPERSEDED
  }

  /** The outcome of a run. */
  public record Result(
      Decision decision,
      String version,
      String parent,
      double dscBefore,
      double dscAfter,
      int trainPairs,
      int holdoutPairs,
      String reason) {}

  private final TrainableDecoder decoder;
  private final Map<String, float[]> bundleWeights;
  private final TrainerConfig config;
  private final WeightsPublisher publisher;
  private final Supplier<WeightsHistory> history;
  private final Clock clock;

  /**
   * @param history reads the weights history topic (called at the start of every run, so a rollback
   *     published meanwhile is what the next run starts from)
   */
  public FineTuneCycle(
      final TrainableDecoder decoder,
      final TrainerConfig config,
      final WeightsPublisher publisher,
      final Supplier<WeightsHistory> history,
      final Clock clock) {
    this.decoder = decoder;
    this.bundleWeights = decoder.trainableWeights();
    this.config = config;
    this.publisher = publisher;
    this.history = history;
    this.clock = clock;
  }

  /**
   * Runs once on the given pairs.
   *
   * @throws WeightsPublicationException if an accepted candidate could not be published
   */
  public Result run(final List<TrainingPair> pairs) throws WeightsPublicationException {
    // sorted by id: the same pair set gives the same run, whatever order the partitions came in
    final List<TrainingPair> sorted =
        pairs.stream().sorted(Comparator.comparing(TrainingPair::correctionId)).toList();
    final List<TrainingPair> train = sorted.stream().filter(p -> !p.holdout()).toList();
    final List<TrainingPair> holdout = sorted.stream().filter(TrainingPair::holdout).toList();
    final WeightsHistory versions = history.get();
    final String modelId = decoder.bundle().id();
    final String parent =
        versions.current().map(DecoderWeights::getVersion).orElse(decoder.bundle().version());
    if (train.isEmpty() || holdout.size() < config.minHoldoutPairs()) {
      final String why =
          train.size()
              + " train and "
              + holdout.size()
              + " holdout pairs (need >= 1 and >= "
              + config.minHoldoutPairs()
              + ")";
      LOG.info("training run skipped: {}", why);
      return new Result(
          Decision.SKIPPED,
          null,
          parent,
          Double.NaN,
          Double.NaN,
          train.size(),
          holdout.size(),
          why);
    }
    final Instant started = clock.instant();
    decoder.setTrainableWeights(
        versions
            .current()
            .map(w -> WeightTensors.fromRecords(w.getTensors()))
            .orElse(bundleWeights));
    final HoldoutEvaluator evaluator = new HoldoutEvaluator(config.evalBatchSize());
    final double before = evaluator.meanDice(decoder, holdout);
    LOG.info(
        "training run from {}: {} train, {} holdout pairs, holdout DSC {}",
        parent,
        train.size(),
        holdout.size(),
        String.format("%.4f", before));
    final DecoderFineTuner.Outcome outcome =
        new DecoderFineTuner(config.training()).train(decoder, train);
    final double after = evaluator.meanDice(decoder, holdout);
    final String version = "ft" + (versions.trainedVersions() + 1) + "-" + started.toEpochMilli();
    if (!(after >= before)) {
      LOG.warn(
          "gate rejected candidate: holdout DSC {} -> {} (loss {} -> {})",
          String.format("%.4f", before),
          String.format("%.4f", after),
          outcome.firstLoss(),
          outcome.lastLoss());
      return new Result(
          Decision.REJECTED,
          null,
          parent,
          before,
          after,
          train.size(),
          holdout.size(),
          "holdout DSC dropped");
    }
    final Optional<DecoderWeights> inForceNow = history.get().current();
    if (!sameRecord(versions.current(), inForceNow)) {
      final String now = inForceNow.map(DecoderWeights::getVersion).orElse("none");
      LOG.warn(
          "candidate discarded: the weights in force changed from {} to {} during the run",
          parent,
          now);
      return new Result(
          Decision.SUPERSEDED,
          null,
          parent,
          before,
          after,
          train.size(),
          holdout.size(),
          "weights in force changed during the run (now " + now + ")");
    }
    final Map<String, String> recorded = new HashMap<>(config.recordedSettings());
    recorded.put("lossFirst", Double.toString(outcome.firstLoss()));
    recorded.put("lossLast", Double.toString(outcome.lastLoss()));
    recorded.put("trainingStartedAt", started.toString());
    recorded.put(
        "trainingMillis", Long.toString(Duration.between(started, clock.instant()).toMillis()));
    final DecoderWeights record =
        DecoderWeights.newBuilder()
            .setModelId(modelId)
            .setVersion(version)
            .setParentVersion(parent)
            .setTensors(
                WeightTensors.toRecords(decoder.trainableWeights(), decoder.trainableShapes()))
            .setHoldoutDscBefore(before)
            .setHoldoutDscAfter(after)
            .setTrainPairs(train.size())
            .setHoldoutPairs(holdout.size())
            .setTrainerConfig(recorded)
            .setRollbackOf(null)
            .setCreatedAt(clock.instant())
            .build();
    publisher.publish(record, Duration.ofSeconds(30));
    LOG.info(
        "published {} (parent {}): holdout DSC {} -> {}",
        version,
        parent,
        String.format("%.4f", before),
        String.format("%.4f", after));
    return new Result(
        Decision.PUBLISHED,
        version,
        parent,
        before,
        after,
        train.size(),
        holdout.size(),
        "holdout DSC did not drop");
  }

  /** The same publication: same version published at the same instant (or both none). */
  private static boolean sameRecord(
      final Optional<DecoderWeights> a, final Optional<DecoderWeights> b) {
    return a.isPresent() == b.isPresent()
        && (a.isEmpty()
            || a.get().getVersion().equals(b.get().getVersion())
                && a.get().getCreatedAt().equals(b.get().getCreatedAt()));
  }
}
