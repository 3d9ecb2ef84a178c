package io.medsam.stream.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.topology.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A trainer started on a cluster whose weights were published before the history topic existed
 * (records on the serving topic only) copies them into the history once, so the version in force
 * and the version count carry over; a restart copies nothing again.
 */
class WeightsHistoryUpgradeTest {

  @RegisterExtension static final InProcessBroker broker = new InProcessBroker();

  @Test
  void servingRecordsWithoutHistoryAreAdoptedOnceAtStart() throws Exception {
    final List<DecoderWeights> legacy = List.of(record("ft1-1", "toy-1"), record("ft2-2", "ft1-1"));
    for (final DecoderWeights w : legacy) {
      broker.send(
          Topics.DECODER_WEIGHTS, w.getModelId(), AvroCodec.of(DecoderWeights.class).encode(w));
    }
    assertThat(broker.weightsHistory()).isEmpty();
    final TrainerConfig config =
        TrainerConfig.defaults(broker.bootstrap(), SyntheticSlices.TOY_BUNDLE)
            .withTrigger(1_000_000, Duration.ofDays(1));
    try (TrainerWorker worker = TrainerWorker.open(config)) {
      worker.start();
      assertThat(worker.intake().awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
    }
    assertThat(broker.weightsHistory()).isEqualTo(legacy);
    try (TrainerWorker again = TrainerWorker.open(config)) {
      again.start();
      assertThat(again.intake().awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
    }
    assertThat(broker.weightsHistory()).isEqualTo(legacy);
    assertThat(broker.weights()).isEqualTo(legacy);
  }

  private static DecoderWeights record(final String version, final String parent) {
    return DecoderWeights.newBuilder()
        .setModelId("toy-decoder")
        .setVersion(version)
        .setParentVersion(parent)
        .setTensors(List.of())
        .setHoldoutDscBefore(0.5)
        .setHoldoutDscAfter(0.6)
        .setTrainPairs(8)
        .setHoldoutPairs(2)
        .setTrainerConfig(Map.of())
        .setRollbackOf(null)
        .setCreatedAt(Instant.ofEpochMilli(1_700_000_000_000L))
        .build();
  }
}
