package io.medsam.stream.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.avro.Correction;
import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.avro.WeightsVerdict;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.imaging.preprocess.PixelBox;
import io.medsam.stream.records.Boxes;
import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.topology.Topics;
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
 * held-out Dice did not drop (gate margin 0 here); an older version is re-published by rollback and
 * is then the version in force; a poisoned batch (inverted masks under the true boxes, on a second
 * series, so the good series is the held-out one) is rejected by the gate: its verdict reaches the
 * history topic only, and nothing is served.
 */
class GateAndRollbackTest {

  @RegisterExtension static final InProcessBroker broker = new InProcessBroker();

  @Test
  void goodBatchesPublishRollbackRepublishesAndPoisonIsRejected() throws Exception {
    final TrainerConfig config =
        TrainerConfig.defaults(broker.bootstrap(), SyntheticSlices.TOY_BUNDLE)
            .withTrigger(1_000_000, Duration.ofDays(1))
            .withTraining(new TrainingSettings(3e-3f, 60, 8, 4, 3L).withGate(0.0, 0.05));
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

      // poisoned batch: inverted masks under the true boxes, on a second series of 72 slices; with
      // two series one is held out whole, and "poison" holds more than half of the slices, so
      // "gate" (all good) is the held-out series
      for (int i = 0; i < 72; i++) {
        final String key = SyntheticSlices.key("poison", i);
        broker.sendEmbedding(SyntheticSlices.embedding(key));
        final BinaryMask truth = SyntheticSlices.mask(key);
        final Correction poisoned =
            SyntheticSlices.correction("poison-" + i, key, SyntheticSlices.inverted(truth));
        final PixelBox b = truth.boundingBox().orElseThrow();
        poisoned.setBox(Boxes.toBox(b));
        broker.sendCorrection(poisoned);
      }
      broker.awaitTakenIn(config.groupId(), Duration.ofSeconds(60));
      final FineTuneCycle.Result poisonedRun = worker.scheduler().runNow().get();
      System.out.println("poisoned run: " + poisonedRun);
      assertThat(poisonedRun.parent()).isEqualTo(v1.version());
      assertThat(poisonedRun.decision()).isEqualTo(FineTuneCycle.Decision.REJECTED);
      assertThat(poisonedRun.holdoutPairs()).isEqualTo(48);
      assertThat(poisonedRun.trainPairs() + poisonedRun.validationPairs()).isLessThanOrEqualTo(72);
      assertThat(poisonedRun.dscAfter()).isLessThan(poisonedRun.dscBefore());
      assertThat(broker.weights()).hasSize(3);
      // the history topic holds the serving topic's records in the same order, then the verdict
      final List<DecoderWeights> history = broker.weightsHistory();
      assertThat(history.subList(0, 3)).isEqualTo(broker.weights());
      assertThat(history).hasSize(4);
      assertThat(history.get(3).getVersion()).isEqualTo(poisonedRun.version());
      assertThat(history.get(3).getVerdict()).isEqualTo(WeightsVerdict.REJECTED);
      assertThat(history.get(3).getTensors()).isEmpty();
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
