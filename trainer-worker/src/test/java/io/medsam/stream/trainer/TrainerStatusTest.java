package io.medsam.stream.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.avro.TrainerStatus;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.topology.Topics;
import io.medsam.stream.topology.testing.ManualClock;
import io.medsam.stream.trainer.train.TrainingSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the trainer publishes about itself on medsam.trainer-status.v1 (what the viewer shows): the
 * pairs waiting for a run while they wait, then the run's decision and no pair waiting.
 */
class TrainerStatusTest {

  @RegisterExtension static final InProcessBroker broker = new InProcessBroker();

  private static TrainerStatus latest(final String modelId) {
    final AvroCodec<TrainerStatus> codec = AvroCodec.of(TrainerStatus.class);
    final List<ConsumerRecord<byte[], byte[]>> all = broker.readAll(Topics.TRAINER_STATUS);
    TrainerStatus last = null;
    for (final ConsumerRecord<byte[], byte[]> r : all) {
      assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(modelId);
      last = codec.decode(r.value(), r.topic(), r.partition(), r.offset());
    }
    return last;
  }

  @Test
  void publishesWaitingPairsThenTheRunsDecision() throws Exception {
    final TrainingSettings quick = new TrainingSettings(1e-3f, 5, 8, 4, 9L);
    final TrainerConfig d = TrainerConfig.defaults(broker.bootstrap(), SyntheticSlices.TOY_BUNDLE);
    final TrainerConfig config =
        new TrainerConfig(
            d.bootstrapServers(),
            d.bundleDir(),
            d.groupId(),
            0.4,
            d.embeddingTimeout(),
            d.maxPending(),
            16,
            Duration.ofDays(1),
            Duration.ofSeconds(1),
            2,
            16,
            quick);
    final ManualClock clock = new ManualClock();
    try (TrainerWorker worker = TrainerWorker.open(config, clock)) {
      worker.start();
      assertThat(worker.intake().awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
      for (int i = 0; i < 16; i++) {
        final String key = SyntheticSlices.key("status", i);
        broker.sendEmbedding(SyntheticSlices.embedding(key));
        broker.sendCorrection(SyntheticSlices.correction("s-" + i, key, SyntheticSlices.mask(key)));
      }
      broker.awaitTakenIn(config.groupId(), Duration.ofSeconds(60));
      InProcessBroker.await(
          Duration.ofSeconds(30),
          () -> {
            final TrainerStatus s = latest("toy-decoder");
            return s != null && s.getPairs() == 16;
          });
      final TrainerStatus waiting = latest("toy-decoder");
      assertThat(waiting.getNewPairs()).isEqualTo(16);
      assertThat(waiting.getMinNewPairs()).isEqualTo(16);
      assertThat(waiting.getRuns()).isZero();
      assertThat(waiting.getLastDecision()).isNull();
      assertThat(waiting.getTrainer()).isEqualTo(config.groupId());

      clock.advance(Duration.ofSeconds(2)); // quiet for longer than the quiet period: a run
      InProcessBroker.await(
          Duration.ofSeconds(120), () -> worker.scheduler().results().size() == 1);
      final FineTuneCycle.Result run = worker.scheduler().results().get(0);
      InProcessBroker.await(
          Duration.ofSeconds(30),
          () -> {
            final TrainerStatus s = latest("toy-decoder");
            return s != null && s.getRuns() == 1 && !s.getRunning();
          });
      final TrainerStatus done = latest("toy-decoder");
      assertThat(done.getLastDecision()).isEqualTo(run.decision().name());
      assertThat(done.getLastVersion()).isEqualTo(run.version());
      assertThat(done.getNewPairs()).isZero();
      assertThat(done.getLastRunStartedAt()).isNotNull();
      assertThat(done.getLastRunFinishedAt()).isNotNull();
    }
  }
}
