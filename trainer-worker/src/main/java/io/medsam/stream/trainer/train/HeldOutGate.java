package io.medsam.stream.trainer.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The publication gate, scored as the paper evaluates (and as {@code medsam eval} and the
 * fine-tuning demonstration report): one Dice per target pooled over its held-out slices (the 3D
 * DSC), and their mean over targets. The candidate must beat the weights in force by {@code margin}
 * on that mean, and no target's Dice may fall by more than {@code tolerance}. A pure decision over
 * pixel counts, so it is tested without a model.
 *
 * @param margin least gain of the mean held-out Dice over targets
 * @param tolerance largest loss of any target's held-out Dice
 */
public record HeldOutGate(double margin, double tolerance) {

  /**
   * One target's held-out figures.
   *
   * @param target the label (or the held-out block when the corrections carry no label)
   * @param pairs held-out pairs of the target
   * @param before Dice pooled over its pairs, under the weights in force
   * @param after the same under the candidate
   */
  public record TargetScore(String target, int pairs, double before, double after) {

    /** after − before. */
    public double change() {
      return after - before;
    }
  }

  /**
   * The gate's decision.
   *
   * @param publish true when the candidate may be published
   * @param before mean over targets of the held-out Dice under the weights in force
   * @param after the same under the candidate
   * @param targets per-target figures, by target name
   * @param reason the decision in words, with the figures it rests on
   */
  public record Verdict(
      boolean publish, double before, double after, List<TargetScore> targets, String reason) {}

  /** Builds the gate from the run settings. */
  public static HeldOutGate of(final TrainingSettings settings) {
    return new HeldOutGate(settings.gateMargin(), settings.gateTolerance());
  }

  /**
   * Judges a candidate.
   *
   * @param targets the target of each held-out pair
   * @param before each pair's overlap under the weights in force
   * @param after each pair's overlap under the candidate
   * @throws IllegalArgumentException if the lists differ in length or are empty
   */
  public Verdict judge(
      final List<String> targets, final List<Overlap> before, final List<Overlap> after) {
    if (targets.isEmpty() || targets.size() != before.size() || before.size() != after.size()) {
      throw new IllegalArgumentException("one target and two overlaps per held-out pair needed");
    }
    final Map<String, Overlap[]> pooled = new TreeMap<>();
    final Map<String, Integer> counts = new TreeMap<>();
    for (int i = 0; i < before.size(); i++) {
      final Overlap[] o =
          pooled.computeIfAbsent(targets.get(i), t -> new Overlap[] {Overlap.NONE, Overlap.NONE});
      o[0] = o[0].plus(before.get(i));
      o[1] = o[1].plus(after.get(i));
      counts.merge(targets.get(i), 1, Integer::sum);
    }
    final List<TargetScore> scores = new ArrayList<>();
    pooled.forEach(
        (t, o) -> scores.add(new TargetScore(t, counts.get(t), o[0].dice(), o[1].dice())));
    final double meanBefore =
        scores.stream().mapToDouble(TargetScore::before).average().orElseThrow();
    final double meanAfter =
        scores.stream().mapToDouble(TargetScore::after).average().orElseThrow();
    final double gain = meanAfter - meanBefore;
    final List<TargetScore> worse =
        scores.stream()
            .filter(t -> !(t.change() >= -tolerance))
            .sorted(Comparator.comparingDouble(TargetScore::change))
            .toList();
    final boolean gained = gain >= margin;
    final String overall =
        String.format(
            Locale.ROOT,
            "held-out DSC %.4f -> %.4f (%+.4f, margin %.4f), mean of %d target(s) over %d pairs",
            meanBefore,
            meanAfter,
            gain,
            margin,
            scores.size(),
            before.size());
    if (gained && worse.isEmpty()) {
      final TargetScore worst =
          scores.stream().min(Comparator.comparingDouble(TargetScore::change)).orElseThrow();
      return new Verdict(
          true,
          meanBefore,
          meanAfter,
          scores,
          String.format(
              Locale.ROOT,
              "%s; no target worse by more than %.4f (worst %s %+.4f)",
              overall,
              tolerance,
              worst.target(),
              worst.change()));
    }
    final List<String> why = new ArrayList<>();
    if (!gained) {
      why.add(overall + ": gain below margin");
    }
    if (!worse.isEmpty()) {
      final List<String> named =
          worse.stream()
              .limit(3)
              .map(
                  t ->
                      String.format(
                          Locale.ROOT,
                          "%s %.4f -> %.4f (%+.4f, %d pairs)",
                          t.target(),
                          t.before(),
                          t.after(),
                          t.change(),
                          t.pairs()))
              .toList();
      why.add(
          String.format(
              Locale.ROOT,
              "%d target(s) worse by more than %.4f: %s%s",
              worse.size(),
              tolerance,
              String.join(", ", named),
              worse.size() > 3 ? ", ..." : ""));
    }
    if (gained) {
      why.add(0, overall);
    }
    return new Verdict(false, meanBefore, meanAfter, scores, String.join("; ", why));
  }
}
