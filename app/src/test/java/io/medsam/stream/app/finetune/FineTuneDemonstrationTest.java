package io.medsam.stream.app.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.medsam.stream.app.broker.BrokerSettings;
import io.medsam.stream.app.broker.KafkaEndpoint;
import io.medsam.stream.app.client.PipelineSession;
import io.medsam.stream.app.eval.EvalRun;
import io.medsam.stream.app.eval.Evaluation;
import io.medsam.stream.app.eval.LabelNames;
import io.medsam.stream.app.eval.ProgressBar;
import io.medsam.stream.app.eval.TargetScore;
import io.medsam.stream.app.pipeline.Role;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.client.PipelineClient;
import io.medsam.stream.imaging.SliceAxis;
import io.medsam.stream.trainer.FineTuneCycle;
import io.medsam.stream.trainer.publish.WeightsAdmin;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer's demonstration and rollback through a running pipeline (real broker, ONNX Runtime
 * encoder and decoder, DJL trainer, the demo bundle): Brodmann corrections on ch2 improve the
 * held-out slices as served by the decoder-worker; a second session publishes a second version;
 * rolling back to the first makes the decoder-worker serve it again, with the same masks.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class FineTuneDemonstrationTest {

  private static final Path BUNDLE = Path.of("../model/bundles/medsam-tiny-brain");
  private static final Path CH2 = Path.of("/usr/share/mricron/templates/ch2.nii.gz");
  private static final Path BRODMANN = Path.of("/usr/share/mricron/templates/brodmann.nii.gz");
  private static final int[] HELD_OUT = {70, 79};
  private static final Duration TIMEOUT = Duration.ofSeconds(300);

  @TempDir Path dir;

  @Test
  void correctionsAreServedAfterTheGateAndAnOlderVersionIsServedAgainAfterRollback()
      throws Exception {
    final ProgressBar quiet =
        new ProgressBar(new PrintStream(OutputStream.nullOutputStream()), false);
    try (KafkaEndpoint kafka =
            KafkaEndpoint.startEmbedded(BrokerSettings.of(dir.resolve("broker"), 0));
        PipelineSession session =
            PipelineSession.open(
                kafka,
                BUNDLE,
                dir,
                EnumSet.of(Role.INGEST, Role.ENCODER, Role.DECODER, Role.TRAINER),
                c -> c,
                line -> {})) { // the trainer's defaults, as `medsam finetune-demo` runs it
      final FineTuneDemonstration.Outcome first =
          new FineTuneDemonstration(
                  session, settings(new int[] {55, 69}), quiet, System.out::println)
              .run();
      // the bundle's own weights first
      assertThat(first.before().decoderVersion()).isEqualTo(ModelBundle.read(BUNDLE).version());
      assertThat(first.corrections().rejected()).isZero();
      assertThat(first.training().decision()).isEqualTo(FineTuneCycle.Decision.PUBLISHED);
      final String ft1 = first.training().version();
      final EvalRun.Result afterFirst = first.after().orElseThrow();
      assertThat(afterFirst.decoderVersion()).isEqualTo(ft1);
      assertThat(afterFirst.meanDsc()).isGreaterThan(first.before().meanDsc() + 0.05);
      assertThat(afterFirst.meanNsd()).isGreaterThan(first.before().meanNsd());

      final FineTuneDemonstration.Outcome second =
          new FineTuneDemonstration(
                  session, settings(new int[] {90, 109}), quiet, System.out::println)
              .run();
      assertThat(second.before().decoderVersion()).isEqualTo(ft1);
      assertThat(second.training().parent()).isEqualTo(ft1);
      assertThat(second.training().decision()).isEqualTo(FineTuneCycle.Decision.PUBLISHED);
      final String ft2 = second.training().version();
      assertThat(second.after().orElseThrow().decoderVersion()).isEqualTo(ft2);

      WeightsAdmin.rollback(
          session.client().bootstrapServers(), ModelBundle.read(BUNDLE).id(), ft1);
      final EvalRun.Result rolledBack = awaitServed(session.client(), ft1, quiet);
      assertThat(rolledBack.decoderVersion()).isEqualTo(ft1);
      final List<TargetScore> expected = afterFirst.targets();
      for (int i = 0; i < expected.size(); i++) {
        assertThat(rolledBack.targets().get(i).dsc())
            .as(expected.get(i).name())
            .isCloseTo(expected.get(i).dsc(), within(1e-3));
      }
    }
  }

  private static FineTuneDemonstration.Settings settings(final int[] train) {
    return new FineTuneDemonstration.Settings(CH2, BRODMANN, List.of(train), HELD_OUT, TIMEOUT);
  }

  /** Scores the held-out slices until every mask names {@code version}. */
  private static EvalRun.Result awaitServed(
      final PipelineClient client, final String version, final ProgressBar bar) throws Exception {
    final Evaluation evaluation =
        new Evaluation(CH2, BRODMANN, SliceAxis.AXIAL, HELD_OUT[0], HELD_OUT[1], List.of(), 0, 0);
    final long deadline = System.nanoTime() + TIMEOUT.toNanos();
    EvalRun.Result r;
    do {
      r =
          EvalRun.run(
              client,
              evaluation.scan(),
              evaluation.plan(),
              LabelNames.beside(BRODMANN),
              bar,
              TIMEOUT);
    } while (!r.decoderVersion().equals(version) && System.nanoTime() < deadline);
    return r;
  }
}
