package io.medsam.stream.trainer.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hyper-parameters of one fine-tuning run and of the gate that judges it (see
 * trainer-worker/README.md for the defaults).
 *
 * @param learningRate Adam learning rate
 * @param steps optimizer steps per run (at most; early stopping may end it sooner)
 * @param batchSize pairs per step
 * @param boxJitterPixels each box side moves outwards by a uniform 0..this many pixels of a
 *     1024-pixel image side (MedSAM's {@code bbox_shift} on its 1024×1024 input; see BoxJitter)
 * @param seed seed of the batch order and the jitter
 * @param validationFraction share of the training slices carved out as the validation block of
 *     early stopping (the held-out rule applied to the training side); 0 turns early stopping off
 * @param blockGap slices left out (neither trained nor scored) between a held-out or validation
 *     block and the nearest training slice
 * @param evalEvery steps between two validation scores
 * @param patience early stopping ends the run after this many validation scores without a new best;
 *     the weights of the best score are kept
 * @param gateMargin the candidate's mean held-out Dice must exceed the weights in force's by at
 *     least this
 * @param gateTolerance no held-out target's mean Dice may fall by more than this
 */
public record TrainingSettings(
    float learningRate,
    int steps,
    int batchSize,
    int boxJitterPixels,
    long seed,
    double validationFraction,
    int blockGap,
    int evalEvery,
    int patience,
    double gateMargin,
    double gateTolerance) {

  /** Default share of training slices in the validation block. */
  public static final double VALIDATION_FRACTION = 0.2;

  /** Default gap between a held-out block and training, in slices. */
  public static final int BLOCK_GAP = 1;

  /** Default steps between validation scores. */
  public static final int EVAL_EVERY = 25;

  /** Default validation scores without a new best before the run stops. */
  public static final int PATIENCE = 4;

  /**
   * Default gate margin (mean held-out Dice over targets): the larger of the standard deviation of
   * the held-out DSC between candidates trained with different seeds (0.007) and the between-target
   * standard error of the gain (0.008–0.011), rounded up; measured with GateNoiseMeasurement on the
   * default bundle, without box jitter, on natbrainlab corrections (trainer-worker README).
   */
  public static final double GATE_MARGIN = 0.015;

  /** Default gate tolerance (per held-out target). */
  public static final double GATE_TOLERANCE = 0.05;

  /**
   * Defaults for streams of tens to hundreds of corrections. No box jitter: a correction carries
   * the box the clinician drew, and MedSAM's 0-20 px (a 1024 px side) outward jitter, made for
   * boxes taken from ground truth, made every run on the demo bundles worse on the boxes it is
   * served (trainer-worker README, "Defaults and why").
   */
  public static TrainingSettings defaults() {
    return new TrainingSettings(3e-4f, 300, 8, 0, 42L);
  }

  /** The run's optimisation settings with the default validation, early stopping and gate. */
  public TrainingSettings(
      final float learningRate,
      final int steps,
      final int batchSize,
      final int boxJitterPixels,
      final long seed) {
    this(
        learningRate,
        steps,
        batchSize,
        boxJitterPixels,
        seed,
        VALIDATION_FRACTION,
        BLOCK_GAP,
        EVAL_EVERY,
        PATIENCE,
        GATE_MARGIN,
        GATE_TOLERANCE);
  }

  /** Validates the values. */
  public TrainingSettings {
    if (!(learningRate > 0) || steps <= 0 || batchSize <= 0 || boxJitterPixels < 0) {
      throw new IllegalArgumentException("bad training settings");
    }
    if (!(validationFraction >= 0 && validationFraction < 1)
        || blockGap < 1
        || evalEvery <= 0
        || patience <= 0
        || !(gateMargin >= 0)
        || !(gateTolerance >= 0)) {
      throw new IllegalArgumentException("bad validation or gate settings");
    }
  }

  /** A copy with other validation and early-stopping settings. */
  public TrainingSettings withValidation(
      final double fraction, final int gap, final int every, final int scoresWithoutBest) {
    return new TrainingSettings(
        learningRate,
        steps,
        batchSize,
        boxJitterPixels,
        seed,
        fraction,
        gap,
        every,
        scoresWithoutBest,
        gateMargin,
        gateTolerance);
  }

  /** A copy with another gate. */
  public TrainingSettings withGate(final double margin, final double tolerance) {
    return new TrainingSettings(
        learningRate,
        steps,
        batchSize,
        boxJitterPixels,
        seed,
        validationFraction,
        blockGap,
        evalEvery,
        patience,
        margin,
        tolerance);
  }

  /** As strings, for the trainerConfig of a DecoderWeights record. */
  public Map<String, String> asMap() {
    final Map<String, String> m = new LinkedHashMap<>();
    m.put("optimizer", "adam");
    m.put("loss", "dice+bce on low-res logits vs area-resampled mask");
    m.put("learningRate", Float.toString(learningRate));
    m.put("steps", Integer.toString(steps));
    m.put("batchSize", Integer.toString(batchSize));
    m.put("boxJitterPixels", Integer.toString(boxJitterPixels));
    m.put("seed", Long.toString(seed));
    m.put("validationFraction", Double.toString(validationFraction));
    m.put("blockGap", Integer.toString(blockGap));
    m.put("evalEvery", Integer.toString(evalEvery));
    m.put("patience", Integer.toString(patience));
    m.put("gateMargin", Double.toString(gateMargin));
    m.put("gateTolerance", Double.toString(gateTolerance));
    return m;
  }
}
