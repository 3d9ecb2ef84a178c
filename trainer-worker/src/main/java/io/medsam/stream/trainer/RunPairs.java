package io.medsam.stream.trainer;

import io.medsam.stream.trainer.intake.HoldoutSplit;
import io.medsam.stream.trainer.intake.TrainingPair;
import io.medsam.stream.trainer.train.TrainingSettings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A run's pairs by role: the held-out groups the gate judges on, the validation block early
 * stopping watches (carved from the training side by the same block rule), the pairs that fit, and
 * the pairs on gap slices that do none of these. Pairs are sorted by correctionId, so the same pair
 * set gives the same run.
 *
 * @param fit pairs trained on
 * @param validation pairs of the validation block
 * @param heldOut pairs of the held-out groups
 * @param heldOutTargets the target of each held-out pair: its label, or its block when the label is
 *     blank
 * @param excluded number of pairs on gap slices (next to a held-out or validation block)
 */
record RunPairs(
    List<TrainingPair> fit,
    List<TrainingPair> validation,
    List<TrainingPair> heldOut,
    List<String> heldOutTargets,
    int excluded) {

  /** Splits the pairs with {@code holdoutFraction} and the settings' validation and gap. */
  static RunPairs of(
      final List<TrainingPair> pairs,
      final double holdoutFraction,
      final TrainingSettings settings) {
    final List<TrainingPair> sorted =
        pairs.stream().sorted(Comparator.comparing(TrainingPair::correctionId)).toList();
    final HoldoutSplit.Assignment outer =
        new HoldoutSplit(holdoutFraction, settings.blockGap())
            .assign(sorted.stream().map(TrainingPair::sliceKey).toList());
    final List<TrainingPair> trainSide = new ArrayList<>();
    final List<TrainingPair> heldOut = new ArrayList<>();
    final List<String> targets = new ArrayList<>();
    int excluded = 0;
    for (final TrainingPair p : sorted) {
      switch (outer.role(p.sliceKey())) {
        case TRAIN -> trainSide.add(p);
        case HELD_OUT -> {
          heldOut.add(p);
          targets.add(
              p.label() == null || p.label().isBlank()
                  ? "block " + outer.block(p.sliceKey())
                  : p.label());
        }
        case GAP -> excluded++;
      }
    }
    final HoldoutSplit.Assignment inner =
        new HoldoutSplit(settings.validationFraction(), settings.blockGap())
            .assign(trainSide.stream().map(TrainingPair::sliceKey).toList());
    final List<TrainingPair> fit = new ArrayList<>();
    final List<TrainingPair> validation = new ArrayList<>();
    for (final TrainingPair p : trainSide) {
      switch (inner.role(p.sliceKey())) {
        case TRAIN -> fit.add(p);
        case HELD_OUT -> validation.add(p);
        case GAP -> excluded++;
      }
    }
    return new RunPairs(
        List.copyOf(fit),
        List.copyOf(validation),
        List.copyOf(heldOut),
        List.copyOf(targets),
        excluded);
  }

  /** Every pair of the run, whatever its role. */
  int total() {
    return fit.size() + validation.size() + heldOut.size() + excluded;
  }
}
