package io.medsam.stream.trainer;

import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.avro.TargetDsc;
import io.medsam.stream.avro.WeightsVerdict;
import io.medsam.stream.trainer.intake.TrainingPair;
import io.medsam.stream.trainer.model.TrainableDecoder;
import io.medsam.stream.trainer.publish.WeightTensors;
import io.medsam.stream.trainer.publish.WeightsHistory;
import io.medsam.stream.trainer.publish.WeightsPublicationException;
import io.medsam.stream.trainer.publish.WeightsPublisher;
import io.medsam.stream.trainer.train.DecoderFineTuner;
import io.medsam.stream.trainer.train.HeldOutGate;
import io.medsam.stream.trainer.train.HoldoutEvaluator;
import io.medsam.stream.trainer.train.Overlap;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training run end to end: start from the weights in force (the model's latest published record
 * in the weights history, or the bundle's own), split the pairs into held-out groups, a validation
 * block and the pairs that fit ({@link RunPairs}), score the weights in force on the held-out
 * groups, fine-tune (stopping early on the validation block), score the candidate, and let the
 * {@link HeldOutGate} decide. A published candidate goes to the history and serving topics; a
 * rejected one becomes a verdict record without tensors on the history topic only.
 */
public final class FineTuneCycle {

  private static final Logger LOG = LoggerFactory.getLogger(FineTuneCycle.class);
  private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(30);

  /** How a run ended. */
  public enum Decision {
    /** The candidate was published. */
    PUBLISHED,
    /** The gate rejected the candidate; its verdict is on the weights history. */
    REJECTED,
    /** Not enough pairs to train or to gate. */
    SKIPPED,
    /**
     * Other weights came into force while the run trained (a rollback): the candidate, trained from
     * the weights it replaced, is discarded and the next run starts from the new ones.
     */
    SUPERSEDED
  }

  /**
   * The outcome of a run.
   *
   * @param version the published version, or the name of the rejected candidate's verdict record
   * @param validationPairs pairs of the validation block
   * @param excludedPairs pairs on gap slices (neither trained nor scored)
   */
  public record Result(
      Decision decision,
      String version,
      String parent,
      double dscBefore,
      double dscAfter,
      int trainPairs,
      int holdoutPairs,
      int validationPairs,
      int excludedPairs,
      String reason) {

    /** Every pair the run was given. */
    public int totalPairs() {
      return trainPairs + holdoutPairs + validationPairs + excludedPairs;
    }
  }

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
   * @throws WeightsPublicationException if an accepted candidate could not be published, or a
   *     rejected one's verdict could not be recorded
   */
  public Result run(final List<TrainingPair> pairs) throws WeightsPublicationException {
    final RunPairs split = RunPairs.of(pairs, config.holdoutFraction(), config.training());
    final List<TrainingPair> train = split.fit();
    final List<TrainingPair> holdout = split.heldOut();
    final WeightsHistory versions = history.get();
    final String modelId = decoder.bundle().id();
    final String parent =
        versions.current().map(DecoderWeights::getVersion).orElse(decoder.bundle().version());
    if (train.isEmpty() || holdout.size() < config.minHoldoutPairs()) {
      final String why =
          train.size()
              + " train and "
              + holdout.size()
              + " held-out pairs (need >= 1 and >= "
              + config.minHoldoutPairs()
              + ")";
      LOG.info("training run skipped: {}", why);
      return result(Decision.SKIPPED, null, parent, Double.NaN, Double.NaN, split, why);
    }
    final Instant started = clock.instant();
    decoder.setTrainableWeights(
        versions
            .current()
            .map(w -> WeightTensors.fromRecords(w.getTensors()))
            .orElse(bundleWeights));
    final HoldoutEvaluator evaluator = new HoldoutEvaluator(config.evalBatchSize());
    final List<Overlap> before = evaluator.overlaps(decoder, holdout);
    LOG.info(
        "training run from {}: {} fit, {} validation, {} held-out, {} gap pairs",
        parent,
        train.size(),
        split.validation().size(),
        holdout.size(),
        split.excluded());
    final DecoderFineTuner.Outcome outcome =
        new DecoderFineTuner(config.training()).train(decoder, train, split.validation());
    final List<Overlap> after = evaluator.overlaps(decoder, holdout);
    final HeldOutGate.Verdict verdict =
        HeldOutGate.of(config.training()).judge(split.heldOutTargets(), before, after);
    final Map<String, String> recorded = new HashMap<>(config.recordedSettings());
    recorded.put("lossFirst", Double.toString(outcome.firstLoss()));
    recorded.put("lossLast", Double.toString(outcome.lastLoss()));
    recorded.put("stepsRun", Integer.toString(outcome.steps()));
    recorded.put("bestStep", Integer.toString(outcome.bestStep()));
    recorded.put("validationDscBefore", Double.toString(outcome.validationBefore()));
    recorded.put("validationDscBest", Double.toString(outcome.validationBest()));
    recorded.put("trainingStartedAt", started.toString());
    recorded.put(
        "trainingMillis", Long.toString(Duration.between(started, clock.instant()).toMillis()));
    final DecoderWeights.Builder record =
        DecoderWeights.newBuilder()
            .setModelId(modelId)
            .setParentVersion(parent)
            .setHoldoutDscBefore(verdict.before())
            .setHoldoutDscAfter(verdict.after())
            .setTrainPairs(train.size())
            .setHoldoutPairs(holdout.size())
            .setValidationPairs(split.validation().size())
            .setExcludedPairs(split.excluded())
            .setHeldOutTargets(targets(verdict))
            .setVerdictReason(verdict.reason())
            .setTrainerConfig(recorded)
            .setRollbackOf(null);
    // a rollback that came into force meanwhile wins: the candidate was judged against weights
    // that are no longer in force, so it is discarded without a verdict
    final Optional<DecoderWeights> inForceNow = history.get().current();
    if (!sameRecord(versions.current(), inForceNow)) {
      final String now = inForceNow.map(DecoderWeights::getVersion).orElse("none");
      LOG.warn(
          "candidate discarded: the weights in force changed from {} to {} during the run",
          parent,
          now);
      return result(
          Decision.SUPERSEDED,
          null,
          parent,
          verdict.before(),
          verdict.after(),
          split,
          "weights in force changed during the run (now " + now + ")");
    }
    if (!verdict.publish()) {
      final String name =
          "rejected" + (versions.rejectedCandidates() + 1) + "-" + started.toEpochMilli();
      LOG.warn("gate rejected candidate {}: {}", name, verdict.reason());
      publisher.recordVerdict(
          record
              .setVersion(name)
              .setTensors(List.of())
              .setVerdict(WeightsVerdict.REJECTED)
              .setCreatedAt(clock.instant())
              .build(),
          PUBLISH_TIMEOUT);
      return result(
          Decision.REJECTED,
          name,
          parent,
          verdict.before(),
          verdict.after(),
          split,
          verdict.reason());
    }
    final String version = "ft" + (versions.trainedVersions() + 1) + "-" + started.toEpochMilli();
    publisher.publish(
        record
            .setVersion(version)
            .setTensors(
                WeightTensors.toRecords(decoder.trainableWeights(), decoder.trainableShapes()))
            .setVerdict(WeightsVerdict.PUBLISHED)
            .setCreatedAt(clock.instant())
            .build(),
        PUBLISH_TIMEOUT);
    LOG.info("published {} (parent {}): {}", version, parent, verdict.reason());
    return result(
        Decision.PUBLISHED,
        version,
        parent,
        verdict.before(),
        verdict.after(),
        split,
        verdict.reason());
  }

  private static Result result(
      final Decision decision,
      final String version,
      final String parent,
      final double before,
      final double after,
      final RunPairs split,
      final String reason) {
    return new Result(
        decision,
        version,
        parent,
        before,
        after,
        split.fit().size(),
        split.heldOut().size(),
        split.validation().size(),
        split.excluded(),
        reason);
  }

  private static List<TargetDsc> targets(final HeldOutGate.Verdict verdict) {
    return verdict.targets().stream()
        .map(
            t ->
                TargetDsc.newBuilder()
                    .setTarget(t.target())
                    .setPairs(t.pairs())
                    .setDscBefore(t.before())
                    .setDscAfter(t.after())
                    .build())
        .toList();
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
