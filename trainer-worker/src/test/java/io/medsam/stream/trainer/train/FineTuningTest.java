package io.medsam.stream.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.trainer.SyntheticSlices;
import io.medsam.stream.trainer.intake.HoldoutSplit;
import io.medsam.stream.trainer.intake.TrainingPair;
import io.medsam.stream.trainer.model.TrainableDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Real DJL fine-tuning of the toy decoder on synthetic ellipses. */
class FineTuningTest {

  @Test
  void trainingRaisesHoldoutDiceAndMovesOnlyTheMaskDecoder() throws Exception {
    final List<String> keys = new ArrayList<>();
    for (int i = 0; i < 48; i++) {
      keys.add(SyntheticSlices.key("ft", i));
    }
    final HoldoutSplit.Assignment split = new HoldoutSplit(0.25, 1).assign(keys);
    final List<TrainingPair> train = new ArrayList<>();
    final List<TrainingPair> holdout = new ArrayList<>();
    for (final String key : keys) {
      final TrainingPair p = SyntheticSlices.pair(key, SyntheticSlices.mask(key));
      switch (split.role(key)) {
        case TRAIN -> train.add(p);
        case HELD_OUT -> holdout.add(p);
        case GAP -> {}
      }
    }
    try (TrainableDecoder decoder =
        TrainableDecoder.load(ModelBundle.readForTraining(SyntheticSlices.TOY_BUNDLE))) {
      final Map<String, float[]> start = decoder.trainableWeights();
      final HoldoutEvaluator eval = new HoldoutEvaluator(16);
      final double before = eval.meanDice(decoder, holdout);
      final long t0 = System.nanoTime();
      final DecoderFineTuner.Outcome out =
          new DecoderFineTuner(new TrainingSettings(3e-3f, 60, 8, 4, 1L)).train(decoder, train);
      final double after = eval.meanDice(decoder, holdout);
      System.out.printf(
          "holdout %d pairs: DSC %.4f -> %.4f, loss %.4f -> %.4f, %d ms%n",
          holdout.size(),
          before,
          after,
          out.firstLoss(),
          out.lastLoss(),
          (System.nanoTime() - t0) / 1_000_000);
      assertThat(out.lastLoss()).isLessThan(out.firstLoss());
      assertThat(after).isGreaterThan(before + 0.1).isGreaterThan(0.6);
      assertThat(decoder.trainableWeights().get("mask_decoder.mix.weight"))
          .isNotEqualTo(start.get("mask_decoder.mix.weight"));
    }
  }
}
