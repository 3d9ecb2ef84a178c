package io.medsam.stream.trainer;

import io.medsam.stream.trainer.train.TrainingSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything the trainer worker is configured with.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param bundleDir model bundle folder (manifest.json, decoder.pt)
 * @param groupId consumer group whose committed corrections offsets say "taken in"
 * @param holdoutFraction share of slices held out for the gate (HoldoutSplit: whole series, or a
 *     block at one end of each series axis)
 * @param embeddingTimeout how long a correction waits for its slice's embedding
 * @param maxPending corrections that may wait at once
 * @param minNewPairs a run starts when this many new pairs arrived...
 * @param maxWait ...or when this long passed since the last run with at least one new pair
 * @param quietPeriod the count trigger also waits until no pair has arrived for this long, so that
 *     a burst of corrections (a clinician's session) is trained on as one set
 * @param minHoldoutPairs the gate refuses to decide (and publishes nothing) below this
 * @param evalBatchSize pairs per forward pass when scoring the holdout
 * @param training fine-tuning hyper-parameters
 * @param weightsSigningKey PKCS#8 Ed25519 private key file every publication is signed with ({@code
 *     --weights-signing-key}); null: publications are unsigned
 */
public record TrainerConfig(
    String bootstrapServers,
    Path bundleDir,
    String groupId,
    double holdoutFraction,
    Duration embeddingTimeout,
    int maxPending,
    int minNewPairs,
    Duration maxWait,
    Duration quietPeriod,
    int minHoldoutPairs,
    int evalBatchSize,
    TrainingSettings training,
    Path weightsSigningKey) {

  /** Without a signing key: publications are unsigned. */
  public TrainerConfig(
      final String bootstrapServers,
      final Path bundleDir,
      final String groupId,
      final double holdoutFraction,
      final Duration embeddingTimeout,
      final int maxPending,
      final int minNewPairs,
      final Duration maxWait,
      final Duration quietPeriod,
      final int minHoldoutPairs,
      final int evalBatchSize,
      final TrainingSettings training) {
    this(
        bootstrapServers,
        bundleDir,
        groupId,
        holdoutFraction,
        embeddingTimeout,
        maxPending,
        minNewPairs,
        maxWait,
        quietPeriod,
        minHoldoutPairs,
        evalBatchSize,
        training,
        null);
  }

  /** The defaults for a bundle on a broker. */
  public static TrainerConfig defaults(final String bootstrapServers, final Path bundleDir) {
    return new TrainerConfig(
        bootstrapServers,
        bundleDir,
        "medsam-trainer",
        0.2,
        Duration.ofMinutes(5),
        10_000,
        32,
        Duration.ofMinutes(10),
        Duration.ofSeconds(3),
        2,
        16,
        TrainingSettings.defaults(),
        null);
  }

  /** A copy with other training settings. */
  public TrainerConfig withTraining(final TrainingSettings settings) {
    return new TrainerConfig(
        bootstrapServers,
        bundleDir,
        groupId,
        holdoutFraction,
        embeddingTimeout,
        maxPending,
        minNewPairs,
        maxWait,
        quietPeriod,
        minHoldoutPairs,
        evalBatchSize,
        settings,
        weightsSigningKey);
  }

  /** A copy with another trigger. */
  public TrainerConfig withTrigger(final int newPairs, final Duration wait) {
    return new TrainerConfig(
        bootstrapServers,
        bundleDir,
        groupId,
        holdoutFraction,
        embeddingTimeout,
        maxPending,
        newPairs,
        wait,
        quietPeriod,
        minHoldoutPairs,
        evalBatchSize,
        training,
        weightsSigningKey);
  }

  /** A copy with another holdout fraction. */
  public TrainerConfig withHoldoutFraction(final double fraction) {
    return new TrainerConfig(
        bootstrapServers,
        bundleDir,
        groupId,
        fraction,
        embeddingTimeout,
        maxPending,
        minNewPairs,
        maxWait,
        quietPeriod,
        minHoldoutPairs,
        evalBatchSize,
        training,
        weightsSigningKey);
  }

  /** A copy with another embedding timeout. */
  public TrainerConfig withEmbeddingTimeout(final Duration timeout) {
    return new TrainerConfig(
        bootstrapServers,
        bundleDir,
        groupId,
        holdoutFraction,
        timeout,
        maxPending,
        minNewPairs,
        maxWait,
        quietPeriod,
        minHoldoutPairs,
        evalBatchSize,
        training,
        weightsSigningKey);
  }

  /** A copy whose publications are signed with the private key in {@code keyFile}. */
  public TrainerConfig withWeightsSigningKey(final Path keyFile) {
    return new TrainerConfig(
        bootstrapServers,
        bundleDir,
        groupId,
        holdoutFraction,
        embeddingTimeout,
        maxPending,
        minNewPairs,
        maxWait,
        quietPeriod,
        minHoldoutPairs,
        evalBatchSize,
        training,
        keyFile);
  }

  /** The settings recorded in each published DecoderWeights record. */
  public Map<String, String> recordedSettings() {
    final Map<String, String> m = new LinkedHashMap<>(training.asMap());
    m.put("holdoutFraction", Double.toString(holdoutFraction));
    m.put(
        "holdoutSplit",
        "whole series when several, else one end block per series axis; gap "
            + training.blockGap());
    m.put("trainable", "mask_decoder.*");
    m.put(
        "gate",
        "held-out mean Dice gain >= "
            + training.gateMargin()
            + ", no target's mean Dice down > "
            + training.gateTolerance());
    return m;
  }
}
