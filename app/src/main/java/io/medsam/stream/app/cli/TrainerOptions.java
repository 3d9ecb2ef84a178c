package io.medsam.stream.app.cli;

import io.medsam.stream.trainer.TrainerConfig;
import io.medsam.stream.trainer.train.TrainingSettings;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The trainer's settings on the command line ({@code medsam run}, {@code medsam finetune-demo});
 * every option left out keeps the default of {@link TrainerConfig#defaults} (why they are what they
 * are: trainer-worker/README.md). Use with {@code @Mixin TrainerOptions trainer;}.
 */
public final class TrainerOptions {

  @Option(
      names = "--lr",
      paramLabel = "RATE",
      description = "trainer: Adam learning rate (default: 3e-4)")
  private Float learningRate;

  @Option(
      names = "--steps",
      paramLabel = "N",
      description = "trainer: optimizer steps per run (default: 300)")
  private Integer steps;

  @Option(names = "--batch", paramLabel = "N", description = "trainer: pairs per step (default: 8)")
  private Integer batchSize;

  @Option(
      names = "--jitter",
      paramLabel = "PX",
      description =
          "trainer: box sides move outwards by 0..PX pixels of a 1024-pixel image side "
              + "(default: 0; MedSAM's bbox_shift is 20)")
  private Integer jitter;

  @Option(
      names = "--min-new-pairs",
      paramLabel = "N",
      description = "trainer: a run starts when N new pairs arrived (default: 32)...")
  private Integer minNewPairs;

  @Option(
      names = "--max-wait",
      paramLabel = "DURATION",
      description =
          "trainer: ...or this long after the last run with any new pair "
              + "(ISO-8601, default: PT10M)")
  private Duration maxWait;

  @Option(
      names = "--holdout-fraction",
      paramLabel = "F",
      description = "trainer: share of slices held out for the gate (default: 0.2)")
  private Double holdoutFraction;

  @Option(
      names = "--validation-fraction",
      paramLabel = "F",
      description =
          "trainer: share of the training slices in the early-stopping validation block; 0 turns"
              + " early stopping off (default: 0.2)")
  private Double validationFraction;

  @Option(
      names = "--block-gap",
      paramLabel = "N",
      description =
          "trainer: slices neither trained nor scored between a held-out or validation block and"
              + " training (default: 1)")
  private Integer blockGap;

  @Option(
      names = "--patience",
      paramLabel = "N",
      description =
          "trainer: stop after N validation scores (one every 25 steps) without a new best"
              + " (default: 4)")
  private Integer patience;

  @Option(
      names = "--gate-margin",
      paramLabel = "DSC",
      description =
          "trainer: publish only if the held-out mean DSC beats the weights in force by this"
              + " (default: 0.015)")
  private Double gateMargin;

  @Option(
      names = "--gate-tolerance",
      paramLabel = "DSC",
      description =
          "trainer: ...and no held-out target's mean DSC falls by more than this (default: 0.05)")
  private Double gateTolerance;

  @Option(
      names = "--weights-signing-key",
      paramLabel = "FILE",
      description =
          "trainer: PKCS#8 Ed25519 private key (PEM or DER) that signs every weights version it"
              + " publishes (medsam keys generate; default: unsigned, with a warning)")
  private Path weightsSigningKey;

  /**
   * @param defaults the configuration to start from
   * @return {@code defaults} with every option given here applied
   */
  public TrainerConfig apply(final TrainerConfig defaults) {
    final TrainingSettings t = defaults.training();
    final TrainingSettings training =
        new TrainingSettings(
            learningRate != null ? learningRate : t.learningRate(),
            steps != null ? steps : t.steps(),
            batchSize != null ? batchSize : t.batchSize(),
            jitter != null ? jitter : t.boxJitterPixels(),
            t.seed(),
            validationFraction != null ? validationFraction : t.validationFraction(),
            blockGap != null ? blockGap : t.blockGap(),
            t.evalEvery(),
            patience != null ? patience : t.patience(),
            gateMargin != null ? gateMargin : t.gateMargin(),
            gateTolerance != null ? gateTolerance : t.gateTolerance());
    final TrainerConfig c =
        defaults
            .withTraining(training)
            .withTrigger(
                minNewPairs != null ? minNewPairs : defaults.minNewPairs(),
                maxWait != null ? maxWait : defaults.maxWait());
    final TrainerConfig h = holdoutFraction == null ? c : c.withHoldoutFraction(holdoutFraction);
    return weightsSigningKey == null ? h : h.withWeightsSigningKey(weightsSigningKey);
  }
}
