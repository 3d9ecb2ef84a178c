package io.medsam.stream.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.avro.Correction;
import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.imaging.preprocess.PixelBox;
import io.medsam.stream.records.Boxes;
import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.topology.Topics;
import io.medsam.stream.trainer.intake.HoldoutSplit;
import io.medsam.stream.trainer.publish.WeightTensors;
import io.medsam.stream.trainer.publish.WeightsHistory;
import io.medsam.stream.trainer.publish.WeightsListing;
import io.medsam.stream.trainer.publish.WeightsPublisher;
import io.medsam.stream.trainer.train.TrainingSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Training runs against a real broker with real DJL: good corrections publish versions whose
 * holdout Dice did not drop; an older version is re-published by rollback and is then the version
 * in force; a poisoned batch (inverted masks under the true boxes) is rejected by the gate and
 * publishes nothing.
 */
class GateAndRollbackTest {

  private static final HoldoutSplit SPLIT = new HoldoutSplit(0.2);

  @RegisterExtension static final InProcessBroker broker = new InProcessBroker();

  @Test
  void goodBatchesPublishRollbackRepublishesAndPoisonIsRejected() throws Exception {
    final TrainerConfig config =
        TrainerConfig.defaults(broker.bootstrap(), SyntheticSlices.TOY_BUNDLE)
            .withTrigger(1_000_000, Duration.ofDays(1))
            .withTraining(new TrainingSettings(3e-3f, 60, 8, 4, 3L));
    try (TrainerWorker worker = TrainerWorker.open(config)) {
      worker.start();
      assertThat(worker.intake().awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
      feedGood(worker, 0, 24);
      final FineTuneCycle.Result v1 = worker.scheduler().runNow().get();
      assertThat(v1.decision()).isEqualTo(FineTuneCycle.Decision.PUBLISHED);
      assertThat(v1.dscAfter()).isGreaterThanOrEqualTo(v1.dscBefore());
      assertThat(v1.parent()).isEqualTo("toy-1");

      feedGood(worker, 24, 48);
      final FineTuneCycle.Result v2 = worker.scheduler().runNow().get();
      assertThat(v2.decision()).isEqualTo(FineTuneCycle.Decision.PUBLISHED);
      assertThat(v2.parent()).isEqualTo(v1.version());

      final List<DecoderWeights> published = broker.weights();
      assertThat(published)
          .extracting(DecoderWeights::getVersion)
          .containsExactly(v1.version(), v2.version());
      final DecoderWeights first = published.get(0);
      assertThat(first.getModelId()).isEqualTo("toy-decoder");
      assertThat(first.getTensors())
          .extracting(t -> t.getName())
          .allMatch(n -> n.startsWith("mask_decoder."))
          .hasSize(16);
      assertThat(first.getHoldoutDscAfter()).isEqualTo(v1.dscAfter());
      assertThat(first.getTrainerConfig()).containsEntry("learningRate", "0.003");
      published.forEach(w -> System.out.println(WeightsListing.line(w)));

      // rollback to v1, as `medsam weights rollback --to v1` does
      final var reader = ClientConfigs.consumer(broker.bootstrap(), "rollback-test");
      new WeightsPublisher(broker.bootstrap(), Clock.systemUTC())
          .rollback(
              WeightsHistory.read(
                  reader, Topics.DECODER_WEIGHTS_HISTORY, "toy-decoder", Duration.ofSeconds(30)),
              v1.version(),
              Duration.ofSeconds(30));
      final WeightsHistory after =
          WeightsHistory.read(
              reader, Topics.DECODER_WEIGHTS_HISTORY, "toy-decoder", Duration.ofSeconds(30));
      final DecoderWeights current = after.current().orElseThrow();
      assertThat(current.getVersion()).isEqualTo(v1.version());
      assertThat(current.getRollbackOf()).isEqualTo(v2.version());
      assertThat(WeightTensors.fromRecords(current.getTensors()))
          .containsOnlyKeys(WeightTensors.fromRecords(first.getTensors()).keySet());
      WeightTensors.fromRecords(current.getTensors())
          .forEach(
              (name, values) ->
                  assertThat(values)
                      .isEqualTo(WeightTensors.fromRecords(first.getTensors()).get(name)));

      // poisoned batch: inverted masks under the true boxes, on training-side slices only
      int sent = 0;
      for (int i = 1000; sent < 72; i++) {
        final String key = SyntheticSlices.key("gate", i);
        if (SPLIT.isHoldout(key)) {
          continue;
        }
        broker.sendEmbedding(SyntheticSlices.embedding(key));
        final BinaryMask truth = SyntheticSlices.mask(key);
        final Correction poisoned =
            SyntheticSlices.correction("poison-" + i, key, SyntheticSlices.inverted(truth));
        final PixelBox b = truth.boundingBox().orElseThrow();
        poisoned.setBox(Boxes.toBox(b));
        broker.sendCorrection(poisoned);
        sent++;
      }
      broker.awaitTakenIn(config.groupId(), Duration.ofSeconds(60));
      final FineTuneCycle.Result poisonedRun = worker.scheduler().runNow().get();
      System.out.println("poisoned run: " + poisonedRun);
      assertThat(poisonedRun.parent()).isEqualTo(v1.version());
      assertThat(poisonedRun.decision()).isEqualTo(FineTuneCycle.Decision.REJECTED);
      assertThat(poisonedRun.dscAfter()).isLessThan(poisonedRun.dscBefore());
      assertThat(broker.weights()).hasSize(3);
      // the history topic holds the same records as the serving topic, in the same order
      assertThat(broker.weightsHistory()).isEqualTo(broker.weights());
    }
  }

  private static void feedGood(final TrainerWorker worker, final int from, final int to)
      throws Exception {
    for (int i = from; i < to; i++) {
      final String key = SyntheticSlices.key("gate", i);
      broker.sendEmbedding(SyntheticSlices.embedding(key));
      broker.sendCorrection(
          SyntheticSlices.correction("good-" + i, key, SyntheticSlices.mask(key)));
    }
    broker.awaitTakenIn(worker.config().groupId(), Duration.ofSeconds(60));
  }
}
