package io.medsam.stream.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.avro.Box;
import io.medsam.stream.avro.Correction;
import io.medsam.stream.avro.DeadLetter;
import io.medsam.stream.avro.RleMask;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.topology.Topics;
import io.medsam.stream.trainer.intake.TrainingPair;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Intake against a real broker: bad corrections become dead letters, a correction waits for a late
 * embedding, and a restarted trainer has exactly the pairs it had (none lost, none twice), without
 * dead-lettering anything a second time.
 */
class TrainerIntakeTest {

  @RegisterExtension static final InProcessBroker broker = new InProcessBroker();

  private static TrainerConfig config() {
    return TrainerConfig.defaults(broker.bootstrap(), SyntheticSlices.TOY_BUNDLE)
        .withTrigger(1_000_000, Duration.ofDays(1))
        .withEmbeddingTimeout(Duration.ofSeconds(3));
  }

  @Test
  void badCorrectionsAreDeadLetteredAndRestartRebuildsExactlyThePairs() throws Exception {
    for (int i = 0; i < 12; i++) {
      broker.sendEmbedding(SyntheticSlices.embedding(SyntheticSlices.key("in", i)));
    }
    for (int i = 0; i < 20; i++) { // slices nobody corrects: the intake must not hold their bytes
      broker.sendEmbedding(SyntheticSlices.embedding(SyntheticSlices.key("uncorrected", i)));
    }
    for (int i = 0; i < 12; i++) {
      final String key = SyntheticSlices.key("in", i);
      broker.sendCorrection(
          SyntheticSlices.correction("good-" + i, key, SyntheticSlices.mask(key)));
    }
    final String k0 = SyntheticSlices.key("in", 0);
    broker.sendCorrection(SyntheticSlices.correction("good-0", k0, SyntheticSlices.mask(k0)));
    broker.sendCorrection(
        SyntheticSlices.correction(
            "empty", k0, BinaryMask.empty(SyntheticSlices.HEIGHT, SyntheticSlices.WIDTH)));
    broker.sendCorrection(
        SyntheticSlices.correction("small", k0, new BinaryMask(filled(100), 10, 10)));
    final Correction badRle = SyntheticSlices.correction("rle", k0, SyntheticSlices.mask(k0));
    badRle.setMask(RleMask.newBuilder(badRle.getMask()).setCounts("0;0;\u0001").build());
    broker.sendCorrection(badRle);
    final Correction outside = SyntheticSlices.correction("box", k0, SyntheticSlices.mask(k0));
    outside.setBox(new Box(0f, 0f, 500f, 10f));
    broker.sendCorrection(outside);
    broker.send(Topics.CORRECTIONS, k0, "not avro at all".getBytes());
    final String unknown = SyntheticSlices.key("in", 99);
    broker.sendCorrection(
        SyntheticSlices.correction("unknown", unknown, SyntheticSlices.mask(unknown)));
    final String late = SyntheticSlices.key("in", 50);
    broker.sendCorrection(SyntheticSlices.correction("late", late, SyntheticSlices.mask(late)));

    final Set<String> first;
    try (TrainerWorker worker = TrainerWorker.open(config())) {
      worker.start();
      assertThat(worker.intake().awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
      broker.sendEmbedding(SyntheticSlices.embedding(late));
      broker.awaitTakenIn(worker.config().groupId(), Duration.ofSeconds(60));
      first = ids(worker.pairs().snapshot());
      assertThat(worker.intake().counts().duplicates()).isEqualTo(1);
      assertThat(worker.pairs().size()).isEqualTo(13);
      assertThat(worker.intake().embeddingsHeld()).isEqualTo(13); // 12 + "late", not the 20
    }
    assertThat(first).contains("good-0", "good-11", "late").doesNotContain("empty", "unknown");
    final List<DeadLetter> dead = broker.trainerDeadLetters();
    assertThat(dead).hasSize(6);
    assertThat(dead.stream().map(DeadLetter::getReason).collect(Collectors.joining("\n")))
        .contains(
            "empty mask",
            "differs from slice size",
            "does not decode",
            "is not inside",
            "undecodable correction",
            "unknown slice " + unknown);
    assertThat(dead)
        .allMatch(d -> d.getSourceTopic().equals(Topics.CORRECTIONS) && d.getPayload() != null);

    final String added = SyntheticSlices.key("in", 5);
    broker.sendCorrection(
        SyntheticSlices.correction("after-restart", added, SyntheticSlices.mask(added)));
    broker.sendCorrection(
        SyntheticSlices.correction(
            "empty-2", added, BinaryMask.empty(SyntheticSlices.HEIGHT, SyntheticSlices.WIDTH)));
    try (TrainerWorker restarted = TrainerWorker.open(config())) {
      restarted.start();
      assertThat(restarted.intake().awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
      broker.awaitTakenIn(restarted.config().groupId(), Duration.ofSeconds(60));
      final List<TrainingPair> pairs = restarted.pairs().snapshot();
      final Set<String> expected = new HashSet<>(first);
      expected.add("after-restart");
      assertThat(ids(pairs)).isEqualTo(expected);
      assertThat(pairs).hasSize(expected.size());
      assertThat(restarted.intake().counts().replayedRejections()).isEqualTo(6);
      assertThat(restarted.intake().counts().rejected()).isEqualTo(1);
      assertThat(restarted.intake().embeddingsHeld()).isEqualTo(13);
    }
    assertThat(broker.trainerDeadLetters()).hasSize(7);
  }

  private static Set<String> ids(final List<TrainingPair> pairs) {
    return pairs.stream().map(TrainingPair::correctionId).collect(Collectors.toSet());
  }

  private static boolean[] filled(final int n) {
    final boolean[] b = new boolean[n];
    java.util.Arrays.fill(b, true);
    return b;
  }
}
