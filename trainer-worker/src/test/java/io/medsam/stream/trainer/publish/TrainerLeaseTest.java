package io.medsam.stream.trainer.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.trainer.InProcessBroker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One trainer per model, on a real broker: while one holds a model's lease another is refused with
 * a message that says why; leases of other models are independent; of two taken at once exactly one
 * wins; a closed lease is free again at once; a publisher held by a lease that is gone publishes
 * nothing.
 */
class TrainerLeaseTest {

  private static final Duration SHORT = Duration.ofSeconds(4);

  @RegisterExtension static final InProcessBroker broker = new InProcessBroker();

  private static Map<String, Object> config() {
    return ClientConfigs.consumer(broker.bootstrap(), "unused");
  }

  @Test
  void aSecondTrainerOfTheModelIsRefusedUntilTheFirstStops() throws Exception {
    try (TrainerLease first = TrainerLease.acquire(config(), "a", SHORT, Clock.systemUTC())) {
      assertThat(first.held()).isTrue();
      assertThatThrownBy(() -> TrainerLease.acquire(config(), "a", SHORT, Clock.systemUTC()))
          .isInstanceOf(TrainerLeaseException.class)
          .hasMessageContaining("another trainer of decoder model a is running")
          .hasMessageContaining("medsam-trainer-lease-a")
          .hasMessageContaining("stop that one first");
      assertThat(first.held()).as("the refused one did not take it away").isTrue();
      try (TrainerLease other = TrainerLease.acquire(config(), "b", SHORT, Clock.systemUTC())) {
        assertThat(other.held()).isTrue();
      }
    }
    try (TrainerLease next = TrainerLease.acquire(config(), "a", SHORT, Clock.systemUTC())) {
      assertThat(next.held()).isTrue();
    }
  }

  @Test
  void ofTwoTrainersStartingTogetherExactlyOneRuns() throws Exception {
    final ExecutorService pool = Executors.newFixedThreadPool(2);
    final List<TrainerLease> won = new ArrayList<>();
    final List<Exception> refused = new ArrayList<>();
    try {
      final List<Future<TrainerLease>> tries = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        tries.add(
            pool.submit(
                () ->
                    TrainerLease.acquire(config(), "c", Duration.ofSeconds(8), Clock.systemUTC())));
      }
      for (final Future<TrainerLease> t : tries) {
        try {
          won.add(t.get());
        } catch (java.util.concurrent.ExecutionException e) {
          refused.add((Exception) e.getCause());
        }
      }
      assertThat(won).hasSize(1);
      assertThat(refused).singleElement().isInstanceOf(TrainerLeaseException.class);
    } finally {
      won.forEach(TrainerLease::close);
      pool.shutdownNow();
    }
  }

  @Test
  void aPublisherWhoseLeaseIsGonePublishesNothing() throws Exception {
    final TrainerLease lease = TrainerLease.acquire(config(), "d", SHORT, Clock.systemUTC());
    final WeightsPublisher publisher =
        new WeightsPublisher(broker.bootstrap(), Clock.systemUTC()).heldBy(lease);
    final DecoderWeights w =
        DecoderWeights.newBuilder()
            .setModelId("d")
            .setVersion("ft1")
            .setTensors(
                WeightTensors.toRecords(
                    Map.of("mask_decoder.w", new float[4]),
                    Map.of("mask_decoder.w", new long[] {4})))
            .setCreatedAt(Instant.parse("2026-12-01T12:00:00Z"))
            .build();
    publisher.publish(w, Duration.ofSeconds(30));
    lease.close();
    assertThatThrownBy(() -> publisher.publish(w, Duration.ofSeconds(30)))
        .isInstanceOf(WeightsPublicationException.class)
        .hasMessageContaining("lost the lease of model d");
    assertThat(broker.weightsHistory().stream().filter(x -> x.getModelId().equals("d"))).hasSize(1);
  }
}
