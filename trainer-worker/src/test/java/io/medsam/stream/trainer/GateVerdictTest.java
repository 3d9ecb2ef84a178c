package io.medsam.stream.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.avro.WeightsVerdict;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.topology.Topics;
import io.medsam.stream.trainer.intake.HoldoutSplit;
import io.medsam.stream.trainer.intake.TrainingPair;
import io.medsam.stream.trainer.model.TrainableDecoder;
import io.medsam.stream.trainer.publish.WeightsAdmin;
import io.medsam.stream.trainer.publish.WeightsHistory;
import io.medsam.stream.trainer.publish.WeightsPublicationException;
import io.medsam.stream.trainer.publish.WeightsPublisher;
import io.medsam.stream.trainer.train.TrainingSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The gate on held-out blocks (real broker, real DJL, toy decoder): corrections that help are
 * published; a candidate that overfits a few slices (300 steps on 6 slices whose masks are each a
 * little off, no early stopping: it fits them and gets worse on the held-out block) is rejected,
 * its verdict (figures and reason, no tensors) is kept on the history topic only, {@code weights
 * list} shows it and {@code weights rollback} refuses it.
 */
class GateVerdictTest {

  @RegisterExtension static final InProcessBroker broker = new InProcessBroker();

  private static List<TrainingPair> pairs(final String series, final int count) {
    final List<TrainingPair> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      final String key = SyntheticSlices.key(series, i);
      out.add(SyntheticSlices.pair(key, SyntheticSlices.mask(key)));
    }
    return out;
  }

  /**
   * 12 slices of one series; the 6 that train carry masks moved by 1–3 px off the structure under
   * the structure's own box (hurried corrections), the held-out block and its gap carry true masks.
   */
  private static List<TrainingPair> fewSloppySlices() {
    final List<String> keys = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      keys.add(SyntheticSlices.key("few", i));
    }
    final HoldoutSplit.Assignment roles = new HoldoutSplit(0.4, 1).assign(keys);
    final Random random = new Random(7);
    final List<TrainingPair> out = new ArrayList<>();
    for (final String key : keys) {
      final BinaryMask truth = SyntheticSlices.mask(key);
      final BinaryMask mask =
          roles.role(key) == HoldoutSplit.Role.TRAIN
              ? SyntheticSlices.shifted(truth, offset(random), offset(random))
              : truth;
      out.add(
          new TrainingPair(
              "c-" + key,
              key,
              "ellipse",
              SyntheticSlices.tensor(SyntheticSlices.embedding(key)),
              mask,
              truth.boundingBox().orElseThrow(),
              0,
              0));
    }
    return out;
  }

  /** 1 to 3 pixels either way. */
  private static int offset(final Random random) {
    return (1 + random.nextInt(3)) * (random.nextBoolean() ? 1 : -1);
  }

  @Test
  void helpfulCorrectionsPublishAndAnOverfitCandidateIsRejectedListedAndNotRolledBackTo()
      throws Exception {
    final TrainerConfig base =
        TrainerConfig.defaults(broker.bootstrap(), SyntheticSlices.TOY_BUNDLE);
    final TrainerConfig helpful = base.withTraining(new TrainingSettings(3e-3f, 60, 8, 4, 3L));
    // many steps on a few slices, nothing to stop it early
    final TrainerConfig overfit =
        base.withHoldoutFraction(0.4)
            .withTraining(
                new TrainingSettings(1e-2f, 300, 8, 0, 3L)
                    .withValidation(0, 1, TrainingSettings.EVAL_EVERY, TrainingSettings.PATIENCE));
    final Map<String, Object> reader = ClientConfigs.consumer(broker.bootstrap(), "gate-verdict");
    final Supplier<WeightsHistory> read =
        () ->
            WeightsHistory.read(
                reader, Topics.DECODER_WEIGHTS_HISTORY, "toy-decoder", Duration.ofSeconds(30));
    final WeightsPublisher publisher = new WeightsPublisher(broker.bootstrap(), Clock.systemUTC());
    try (TrainableDecoder decoder =
        TrainableDecoder.load(ModelBundle.readForTraining(SyntheticSlices.TOY_BUNDLE))) {
      final FineTuneCycle.Result good =
          new FineTuneCycle(decoder, helpful, publisher, read, Clock.systemUTC())
              .run(pairs("ward", 40));
      System.out.println("helpful run: " + good);
      assertThat(good.decision()).isEqualTo(FineTuneCycle.Decision.PUBLISHED);
      assertThat(good.dscAfter()).isGreaterThan(good.dscBefore() + 0.01);
      // 40 slices: 8 held out at one end, 1 gap; of the 31 left, 6 validate, 1 gap, 24 fit
      assertThat(good.holdoutPairs()).isEqualTo(8);
      assertThat(good.validationPairs()).isEqualTo(6);
      assertThat(good.excludedPairs()).isEqualTo(2);
      assertThat(good.trainPairs()).isEqualTo(24);

      final FineTuneCycle.Result bad =
          new FineTuneCycle(decoder, overfit, publisher, read, Clock.systemUTC())
              .run(fewSloppySlices());
      System.out.println("overfit run: " + bad);
      assertThat(bad.decision()).isEqualTo(FineTuneCycle.Decision.REJECTED);
      assertThat(bad.parent()).isEqualTo(good.version());
      // 12 slices: 5 held out at one end, 1 gap, 6 fit
      assertThat(bad.holdoutPairs()).isEqualTo(5);
      assertThat(bad.trainPairs()).isEqualTo(6);
      assertThat(bad.dscAfter()).isLessThan(bad.dscBefore());
      assertThat(bad.version()).startsWith("rejected1-");

      // the serving topic never sees the verdict; the history keeps it, without tensors
      assertThat(broker.weights())
          .extracting(DecoderWeights::getVersion)
          .containsExactly(good.version());
      final List<DecoderWeights> history = broker.weightsHistory();
      assertThat(history)
          .extracting(DecoderWeights::getVersion)
          .containsExactly(good.version(), bad.version());
      final DecoderWeights verdict = history.get(1);
      assertThat(verdict.getVerdict()).isEqualTo(WeightsVerdict.REJECTED);
      assertThat(verdict.getTensors()).isEmpty();
      assertThat(verdict.getHoldoutDscBefore()).isEqualTo(bad.dscBefore());
      assertThat(verdict.getHoldoutDscAfter()).isEqualTo(bad.dscAfter());
      assertThat(verdict.getVerdictReason()).isEqualTo(bad.reason()).contains("margin");
      assertThat(verdict.getHeldOutTargets()).hasSize(1);
      assertThat(verdict.getHeldOutTargets().get(0).getTarget()).isEqualTo("ellipse");
      assertThat(verdict.getTrainerConfig()).containsEntry("steps", "300");

      // the weights in force are still the published version
      final WeightsHistory versions = read.get();
      assertThat(versions.current().orElseThrow().getVersion()).isEqualTo(good.version());
      assertThat(versions.trainedVersions()).isEqualTo(1);
      assertThat(versions.rejectedCandidates()).isEqualTo(1);

      // listed with its verdict and reason
      final List<String> listed = WeightsAdmin.list(broker.bootstrap(), "toy-decoder");
      listed.forEach(System.out::println);
      assertThat(listed).hasSize(2);
      assertThat(listed.get(0)).contains("\"verdict\":\"PUBLISHED\"");
      assertThat(listed.get(1))
          .contains("\"version\":\"" + bad.version() + "\"")
          .contains("\"verdict\":\"REJECTED\"")
          .contains("\"tensors\":0")
          .contains("\"reason\":\"held-out DSC");

      // and refused by rollback, with the reason
      assertThatThrownBy(() -> WeightsAdmin.rollback(broker.bootstrap(), null, bad.version()))
          .isInstanceOf(WeightsPublicationException.class)
          .hasMessageContaining(bad.version())
          .hasMessageContaining("gate rejected")
          .hasMessageContaining("no weights to roll back to");
      assertThat(broker.weightsHistory()).hasSize(2);
      assertThat(broker.weights()).hasSize(1);
    }
  }
}
