package io.medsam.stream.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The gate's rule: Dice pooled per target, margin on the mean over targets, tolerance per target.
 */
class HeldOutGateTest {

  private static final HeldOutGate GATE = new HeldOutGate(0.01, 0.05);
  private static final List<String> TARGETS = List.of("BA 6", "BA 6", "BA 17", "BA 17");

  /** Overlaps whose Dice are the given values (100 pixels in each mask). */
  private static List<Overlap> o(final double... dice) {
    return java.util.Arrays.stream(dice)
        .mapToObj(d -> new Overlap(Math.round(d * 100), 200))
        .toList();
  }

  @Test
  void poolsPixelsPerTargetLikeA3dDsc() {
    // a small slice that is missed counts for its pixels only, not as a whole slice
    final HeldOutGate.Verdict v =
        GATE.judge(
            List.of("a", "a"),
            List.of(new Overlap(100, 200), new Overlap(10, 20)),
            List.of(new Overlap(100, 200), new Overlap(0, 20)));
    assertThat(v.before()).isEqualTo(1.0);
    assertThat(v.after()).isCloseTo(200.0 / 220, within(1e-12));
  }

  @Test
  void publishesAGainAboveTheMarginWithNoTargetMuchWorse() {
    final HeldOutGate.Verdict v =
        GATE.judge(TARGETS, o(0.6, 0.6, 0.4, 0.4), o(0.58, 0.6, 0.5, 0.5));
    assertThat(v.publish()).isTrue();
    assertThat(v.before()).isCloseTo(0.5, within(1e-12));
    assertThat(v.after()).isCloseTo(0.545, within(1e-12));
    assertThat(v.targets())
        .extracting(HeldOutGate.TargetScore::target, HeldOutGate.TargetScore::pairs)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("BA 17", 2),
            org.assertj.core.groups.Tuple.tuple("BA 6", 2));
    assertThat(v.reason()).contains("+0.0450").contains("worst BA 6 -0.0100");
  }

  @Test
  void rejectsAGainBelowTheMargin() {
    final HeldOutGate.Verdict v =
        GATE.judge(TARGETS, o(0.6, 0.6, 0.4, 0.4), o(0.6, 0.6, 0.41, 0.4));
    assertThat(v.publish()).isFalse();
    assertThat(v.reason()).contains("+0.0025").contains("gain below margin");
  }

  @Test
  void rejectsWhenOneTargetFallsBeyondTheTolerance() {
    final HeldOutGate.Verdict v = GATE.judge(TARGETS, o(0.6, 0.6, 0.4, 0.4), o(0.4, 0.6, 0.7, 0.7));
    assertThat(v.after() - v.before()).isGreaterThan(0.01);
    assertThat(v.publish()).isFalse();
    assertThat(v.reason())
        .contains("1 target(s) worse by more than 0.0500")
        .contains("BA 6 0.6000 -> 0.5000 (-0.1000")
        .doesNotContain("BA 17 0.4");
  }

  @Test
  void aZeroMarginPublishesAnEqualScore() {
    final HeldOutGate.Verdict v = new HeldOutGate(0, 0.05).judge(List.of("a"), o(0.5), o(0.5));
    assertThat(v.publish()).isTrue();
  }
}
