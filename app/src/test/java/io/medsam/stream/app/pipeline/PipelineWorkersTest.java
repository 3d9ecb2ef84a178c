package io.medsam.stream.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medsam.stream.app.broker.EmbeddedBroker;
import io.medsam.stream.topology.worker.WorkerState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Roles started and closed through the worker contract, on the embedded broker. */
class PipelineWorkersTest {

  @TempDir static Path dir;
  @RegisterExtension static final EmbeddedBroker BROKER = new EmbeddedBroker();

  private static PipelineWorkers.Settings settings(final String instance) {
    return new PipelineWorkers.Settings(
        BROKER.bootstrapServers(),
        dir.resolve("no-such-bundle"),
        dir.resolve("data"),
        instance,
        new SimpleMeterRegistry());
  }

  @Test
  void aRoleRunsUntilClosedAndThenShowsStopped() throws Exception {
    final PipelineWorkers workers = PipelineWorkers.start(EnumSet.of(Role.INGEST), settings("a"));
    try {
      assertThat(workers.awaitReady(Duration.ofSeconds(60))).isTrue();
      assertThat(workers.roles()).containsExactly(Role.INGEST);
      assertThat(workers.states()).containsEntry(Role.INGEST, WorkerState.RUNNING);
      assertThat(workers.trainer()).isEmpty();
    } finally {
      workers.close();
    }
    assertThat(workers.states()).containsEntry(Role.INGEST, WorkerState.STOPPED);
    workers.close(); // idempotent
  }

  @Test
  void aWorkerThatCannotBeBuiltFailsTheStart() {
    assertThatThrownBy(
            () -> PipelineWorkers.start(EnumSet.of(Role.INGEST, Role.ENCODER), settings("b")))
        .isInstanceOf(WorkerStartException.class)
        .hasMessageStartingWith("encoder: ");
  }
}
