package io.medsam.stream.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.topology.Topics;
import io.medsam.stream.trainer.intake.TrainingPair;
import io.medsam.stream.trainer.model.TrainableDecoder;
import io.medsam.stream.trainer.publish.WeightsHistory;
import io.medsam.stream.trainer.publish.WeightsPublisher;
import io.medsam.stream.trainer.train.TrainingSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A rollback that lands while a run trains wins: the run's candidate, trained from the weights the
 * rollback replaced, is discarded instead of overriding it (real broker, real DJL).
 */
class SupersededRunTest {

  @RegisterExtension static final InProcessBroker broker = new InProcessBroker();

  @Test
  void aRollbackDuringTheRunDiscardsTheCandidate() throws Exception {
    final TrainerConfig config =
        TrainerConfig.defaults(broker.bootstrap(), SyntheticSlices.TOY_BUNDLE)
            .withTraining(new TrainingSettings(3e-3f, 20, 8, 4, 5L));
    final Map<String, Object> reader = ClientConfigs.consumer(broker.bootstrap(), "superseded");
    final Supplier<WeightsHistory> read =
        () ->
            WeightsHistory.read(
                reader, Topics.DECODER_WEIGHTS_HISTORY, "toy-decoder", Duration.ofSeconds(30));
    final WeightsPublisher publisher = new WeightsPublisher(broker.bootstrap(), Clock.systemUTC());
    final List<TrainingPair> pairs = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      final String key = SyntheticSlices.key("sup", i);
      pairs.add(SyntheticSlices.pair(key, SyntheticSlices.mask(key)));
    }
    try (TrainableDecoder decoder =
        TrainableDecoder.load(ModelBundle.readForTraining(SyntheticSlices.TOY_BUNDLE))) {
      final FineTuneCycle.Result first =
          new FineTuneCycle(decoder, config, publisher, read, Clock.systemUTC()).run(pairs);
      assertThat(first.decision()).isEqualTo(FineTuneCycle.Decision.PUBLISHED);

      // the second read of the history (after training, before publishing) finds that an
      // operator re-published the first version meanwhile
      final AtomicInteger reads = new AtomicInteger();
      final Supplier<WeightsHistory> rollbackMidRun =
          () -> {
            if (reads.incrementAndGet() == 2) {
              try {
                publisher.rollback(read.get(), first.version(), Duration.ofSeconds(30));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            }
            return read.get();
          };
      final FineTuneCycle.Result second =
          new FineTuneCycle(decoder, config, publisher, rollbackMidRun, Clock.systemUTC())
              .run(pairs);
      assertThat(second.decision()).isEqualTo(FineTuneCycle.Decision.SUPERSEDED);
      assertThat(second.parent()).isEqualTo(first.version());
      final List<DecoderWeights> history = broker.weightsHistory();
      assertThat(history)
          .extracting(DecoderWeights::getVersion)
          .containsExactly(first.version(), first.version()); // the rollback, no candidate
      assertThat(read.get().current().orElseThrow().getRollbackOf()).isEqualTo(first.version());
    }
  }
}
