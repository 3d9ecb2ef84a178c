package io.medsam.stream.app.finetune;

import io.medsam.stream.app.broker.BrokerSettings;
import io.medsam.stream.app.broker.KafkaEndpoint;
import io.medsam.stream.app.client.PipelineSession;
import io.medsam.stream.app.eval.ProgressBar;
import io.medsam.stream.app.pipeline.BundleLocation;
import io.medsam.stream.app.pipeline.Role;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.trainer.FineTuneCycle;
import io.medsam.stream.trainer.publish.WeightsAdmin;
import io.medsam.stream.trainer.train.TrainingSettings;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * A measurement, not a test (its name keeps it out of {@code mvn test}): the spread of the gate's
 * held-out DSC between candidates trained from the same corrections with different seeds (batch
 * order and box jitter), the noise the gate's margin should exceed. Corrections come from AAL on
 * ch2, or the label map {@code -Dmedsam.noise.labels=FILE} (a permitted atlas on ch2's grid, e.g.
 * from {@code model/write_label_maps.py}; never Brodmann, never a reserved file), on the default
 * bundle, through the real pipeline as {@code medsam finetune-demo} runs it, on a fresh broker per
 * seed so every run starts from the bundle's weights. Run:
 *
 * <pre>
 * ./mvnw -o -q test -pl app -am -Dtest=GateNoiseMeasurement -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dmedsam.noise.seeds=42,7,1234 -Dmedsam.noise.train=40-79 -Dmedsam.noise.scored=80-119
 * </pre>
 *
 * ({@code -Dmedsam.noise.train=40-69,90-119 -Dmedsam.noise.scored=70-89}: the between-slabs case.)
 *
 * <p>{@code -Dmedsam.noise.validation=0} turns early stopping off (every run trains all its steps).
 *
 * <p>Each seed prints one "NOISE" line (gate figures and the served slab's mean DSC) and the
 * weights history's record of the run (per-target held-out DSC).
 */
class GateNoiseMeasurement {

  private static final Path BUNDLE = Path.of("..", BundleLocation.DEMO_DIR);
  private static final Path CH2 = Path.of("/usr/share/mricron/templates/ch2.nii.gz");
  private static final Path AAL = Path.of("/usr/share/mricron/templates/aal.nii.gz");

  private static int[] range(final String text) {
    final String[] p = text.split("-");
    return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])};
  }

  @Test
  void measure() throws Exception {
    final List<Long> seeds = new ArrayList<>();
    for (final String s : System.getProperty("medsam.noise.seeds", "42,7,1234").split(",")) {
      seeds.add(Long.parseLong(s.trim()));
    }
    final List<int[]> train = new ArrayList<>();
    for (final String r : System.getProperty("medsam.noise.train", "40-79").split(",")) {
      train.add(range(r.trim()));
    }
    final Path labels = Path.of(System.getProperty("medsam.noise.labels", AAL.toString()));
    if (labels.getFileName().toString().toLowerCase(Locale.ROOT).contains("brodmann")) {
      throw new IllegalArgumentException(
          "Brodmann is what finetune-demo scores: measure elsewhere");
    }
    final int[] scored = range(System.getProperty("medsam.noise.scored", "80-119"));
    final ProgressBar quiet =
        new ProgressBar(new PrintStream(OutputStream.nullOutputStream()), false);
    final String model = ModelBundle.read(BUNDLE).id();
    for (final long seed : seeds) {
      final Path dir = Files.createTempDirectory("gate-noise-");
      final TrainingSettings d = TrainingSettings.defaults();
      final TrainingSettings seeded =
          new TrainingSettings(
              d.learningRate(),
              d.steps(),
              d.batchSize(),
              d.boxJitterPixels(),
              seed,
              Double.parseDouble(
                  System.getProperty(
                      "medsam.noise.validation", Double.toString(d.validationFraction()))),
              d.blockGap(),
              d.evalEvery(),
              d.patience(),
              d.gateMargin(),
              d.gateTolerance());
      final long t0 = System.nanoTime();
      try (KafkaEndpoint kafka =
              KafkaEndpoint.startEmbedded(BrokerSettings.of(dir.resolve("broker"), 0));
          PipelineSession session =
              PipelineSession.open(
                  kafka,
                  BUNDLE,
                  dir,
                  EnumSet.of(Role.INGEST, Role.ENCODER, Role.DECODER, Role.TRAINER),
                  c -> c.withTraining(seeded),
                  line -> {})) {
        final FineTuneDemonstration.Outcome o =
            new FineTuneDemonstration(
                    session,
                    new FineTuneDemonstration.Settings(
                        CH2, labels, train, scored, Duration.ofSeconds(900)),
                    quiet,
                    line -> {})
                .run();
        final FineTuneCycle.Result r = o.training();
        System.out.printf(
            Locale.ROOT,
            "NOISE seed %d: %s, %d fit / %d validation / %d held-out / %d gap pairs, gate DSC %.4f"
                + " -> %.4f; served slab %d-%d mean DSC %.4f -> %s; %.0f s; %s%n",
            seed,
            r.decision(),
            r.trainPairs(),
            r.validationPairs(),
            r.holdoutPairs(),
            r.excludedPairs(),
            r.dscBefore(),
            r.dscAfter(),
            scored[0],
            scored[1],
            o.before().meanDsc(),
            o.after().map(a -> String.format(Locale.ROOT, "%.4f", a.meanDsc())).orElse("n/a"),
            (System.nanoTime() - t0) / 1e9,
            r.reason());
        final List<String> history = WeightsAdmin.list(session.client().bootstrapServers(), model);
        System.out.println("NOISE record " + history.get(history.size() - 1));
      }
    }
  }
}
