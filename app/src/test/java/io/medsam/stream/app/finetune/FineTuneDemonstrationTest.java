package io.medsam.stream.app.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.app.broker.BrokerSettings;
import io.medsam.stream.app.broker.KafkaEndpoint;
import io.medsam.stream.app.client.PipelineSession;
import io.medsam.stream.app.eval.EvalRun;
import io.medsam.stream.app.eval.Evaluation;
import io.medsam.stream.app.eval.LabelNames;
import io.medsam.stream.app.eval.ProgressBar;
import io.medsam.stream.app.eval.TargetScore;
import io.medsam.stream.app.pipeline.BundleLocation;
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
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The trainer's demonstration through a running pipeline (real broker, ONNX Runtime encoder and
 * decoder, DJL trainer, the default demo bundle, the trainer's default settings, as {@code medsam
 * finetune-demo} runs it), on Brodmann areas of ch2, which the demo model never saw. Both of the
 * command's cases, corrections on axial 40-79 scored on 80-119 (extrapolation, the default) and
 * corrections on 40-69 and 90-119 scored on 70-89 (between the slabs), hold issue 15's rule: a
 * published version gains at least 0.03 mean DSC on the scored slices with no area down by more
 * than 0.02; otherwise nothing is published, the gate says why and the decoder-worker still serves
 * the bundle's weights. Every verdict, rejected or not, is listed by {@code weights list}.
 */
@Timeout(value = 1500, unit = TimeUnit.SECONDS)
class FineTuneDemonstrationTest {

  private static final Path BUNDLE = Path.of("..").resolve(BundleLocation.DEMO_DIR);
  private static final Path CH2 = Path.of("/usr/share/mricron/templates/ch2.nii.gz");
  private static final Path BRODMANN = Path.of("/usr/share/mricron/templates/brodmann.nii.gz");
  private static final Duration TIMEOUT = Duration.ofSeconds(600);
  private static final double TARGET_GAIN = 0.03;
  private static final double TARGET_WORST = 0.02;

  @TempDir Path dir;

  @ParameterizedTest(name = "corrections on {0}, scored on {1}")
  @CsvSource(
      delimiter = ';',
      value = {"40-79; 80-119", "40-69,90-119; 70-89"})
  void aVersionIsPublishedOnlyWhenItGainsOnTheScoredSlicesElseTheGateSaysWhy(
      final String corrected, final String scoredSlices) throws Exception {
    final ProgressBar quiet =
        new ProgressBar(new PrintStream(OutputStream.nullOutputStream()), false);
    final ModelBundle bundle = ModelBundle.read(BUNDLE);
    final List<int[]> train = new ArrayList<>();
    for (final String r : corrected.split(",")) {
      train.add(range(r));
    }
    final int[] scored = range(scoredSlices);
    try (KafkaEndpoint kafka =
            KafkaEndpoint.startEmbedded(BrokerSettings.of(dir.resolve("broker"), 0));
        PipelineSession session =
            PipelineSession.open(
                kafka,
                BUNDLE,
                dir,
                EnumSet.of(Role.INGEST, Role.ENCODER, Role.DECODER, Role.TRAINER),
                c -> c,
                line -> {})) {
      final FineTuneDemonstration.Outcome outcome =
          new FineTuneDemonstration(
                  session,
                  new FineTuneDemonstration.Settings(CH2, BRODMANN, train, scored, TIMEOUT),
                  quiet,
                  System.out::println)
              .run();
      assertThat(outcome.before().decoderVersion()).isEqualTo(bundle.version());
      assertThat(outcome.corrections().rejected()).isZero();
      final FineTuneCycle.Result run = outcome.training();
      assertThat(WeightsAdmin.list(session.client().bootstrapServers(), bundle.id()))
          .as("every verdict is listed")
          .anyMatch(line -> line.contains(run.version()));
      if (run.decision() == FineTuneCycle.Decision.PUBLISHED) {
        final EvalRun.Result after = outcome.after().orElseThrow();
        assertThat(after.decoderVersion()).isEqualTo(run.version());
        assertThat(after.meanDsc())
            .as("a published version gains on the slices beyond the corrections")
            .isGreaterThanOrEqualTo(outcome.before().meanDsc() + TARGET_GAIN);
        assertNoAreaWorse(outcome.before(), after);
      } else {
        assertThat(run.decision()).isEqualTo(FineTuneCycle.Decision.REJECTED);
        assertThat(run.reason()).as("the gate says why").isNotBlank();
        assertThat(outcome.after()).isEmpty();
        final EvalRun.Result still = score(session.client(), scored, quiet);
        assertThat(still.decoderVersion()).isEqualTo(bundle.version());
        assertThat(still.meanDsc()).isEqualTo(outcome.before().meanDsc());
      }
    }
  }

  private static int[] range(final String text) {
    final String[] p = text.trim().split("-");
    return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])};
  }

  private static void assertNoAreaWorse(final EvalRun.Result before, final EvalRun.Result after) {
    final List<TargetScore> b = before.targets();
    for (int i = 0; i < b.size(); i++) {
      assertThat(after.targets().get(i).dsc())
          .as(b.get(i).name())
          .isGreaterThanOrEqualTo(b.get(i).dsc() - TARGET_WORST);
    }
  }

  /** Scores the given axial slices once through the pipeline. */
  private static EvalRun.Result score(
      final PipelineClient client, final int[] slices, final ProgressBar bar) throws Exception {
    final Evaluation evaluation =
        new Evaluation(CH2, BRODMANN, SliceAxis.AXIAL, slices[0], slices[1], List.of(), 0, 0);
    return EvalRun.run(
        client, evaluation.scan(), evaluation.plan(), LabelNames.beside(BRODMANN), bar, TIMEOUT);
  }
}
