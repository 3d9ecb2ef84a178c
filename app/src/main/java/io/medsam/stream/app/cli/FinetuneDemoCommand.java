package io.medsam.stream.app.cli;

import io.medsam.stream.app.broker.BrokerSettings;
import io.medsam.stream.app.broker.BrokerStartException;
import io.medsam.stream.app.broker.KafkaEndpoint;
import io.medsam.stream.app.client.PipelineSession;
import io.medsam.stream.app.eval.ProgressBar;
import io.medsam.stream.app.finetune.FineTuneDemonstration;
import io.medsam.stream.app.finetune.FineTuneReport;
import io.medsam.stream.app.pipeline.BundleLocation;
import io.medsam.stream.app.pipeline.Role;
import io.medsam.stream.app.pipeline.WorkerStartException;
import io.medsam.stream.client.PipelineTimeoutException;
import io.medsam.stream.trainer.TrainerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code medsam finetune-demo}: the trainer's demonstration on targets the demo model never saw
 * (Brodmann areas on ch2), through a running pipeline on an embedded broker of its own.
 */
@Command(
    name = "finetune-demo",
    mixinStandardHelpOptions = true,
    description = {
      "Fine-tuning from clinicians' corrections, end to end: starts an embedded broker of its "
          + "own (fresh, so the decoder starts from the bundle's weights) with the ingest, "
          + "encoder, decoder and trainer workers; scores the held-out slices; publishes "
          + "corrections for the training slices; waits for the trainer's run, its gate and "
          + "the decoder-worker's hot swap; scores the held-out slices again and prints a "
          + "table per target (DSC and NSD before, after, gain)."
    })
public final class FinetuneDemoCommand implements Callable<Integer> {

  @Option(
      names = "--bundle",
      paramLabel = "DIR",
      defaultValue = BundleLocation.DEMO_DIR,
      description = "model bundle (default: ${DEFAULT-VALUE})")
  private Path bundle;

  @Option(
      names = "--image",
      paramLabel = "IMG.nii.gz",
      defaultValue = "/usr/share/mricron/templates/ch2.nii.gz",
      description = "the scan (default: ${DEFAULT-VALUE})")
  private Path image;

  @Option(
      names = "--labels",
      paramLabel = "LABELS.nii.gz",
      defaultValue = "/usr/share/mricron/templates/brodmann.nii.gz",
      description = "new targets on the scan's grid (default: ${DEFAULT-VALUE})")
  private Path labels;

  /** Corrections in front of the clinician, scored on the slices beyond them. */
  static final String EXTRAPOLATION_TRAIN = "40-79";

  static final String EXTRAPOLATION_HELD_OUT = "80-119";

  /** Corrections on both sides of the scored slab (the demo model's held-out slab). */
  static final String BETWEEN_TRAIN = "40-69,90-119";

  static final String BETWEEN_HELD_OUT = DemoCommand.SLAB;

  @Option(
      names = "--train-slices",
      paramLabel = "FROM-TO[,FROM-TO...]",
      description =
          "axial slices whose corrections are published (default: "
              + EXTRAPOLATION_TRAIN
              + "; with --between-slabs "
              + BETWEEN_TRAIN
              + ")")
  private String trainSlices;

  @Option(
      names = "--held-out",
      paramLabel = "FROM-TO",
      description =
          "axial slices scored before and after, never corrected (default: "
              + EXTRAPOLATION_HELD_OUT
              + ", beyond the corrected slab; with --between-slabs "
              + BETWEEN_HELD_OUT
              + ", between the corrected slabs and held out of the demo model's training)")
  private String heldOut;

  @Option(
      names = "--between-slabs",
      description =
          "score a slab lying between the corrected ones (interpolation) instead of the slices "
              + "beyond them (extrapolation, the default)")
  private boolean betweenSlabs;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "out/finetune-demo",
      description = "where report.json goes (default: ${DEFAULT-VALUE})")
  private Path outDir;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "900",
      description = "longest wait of each phase (default: ${DEFAULT-VALUE})")
  private long timeoutSeconds;

  @Mixin private TrainerOptions trainer = new TrainerOptions();

  @Spec private CommandSpec spec;

  @Override
  public Integer call()
      throws BrokerStartException,
          WorkerStartException,
          IOException,
          InterruptedException,
          PipelineTimeoutException {
    for (final Path p : List.of(image, labels)) {
      if (!Files.isRegularFile(p)) {
        throw new IllegalStateException(
            p
                + " is missing; the MRIcron templates come with: "
                + "sudo apt-get install -y mricron-data");
      }
    }
    if (trainSlices == null) {
      trainSlices = betweenSlabs ? BETWEEN_TRAIN : EXTRAPOLATION_TRAIN;
    }
    if (heldOut == null) {
      heldOut = betweenSlabs ? BETWEEN_HELD_OUT : EXTRAPOLATION_HELD_OUT;
    }
    final List<int[]> train = new ArrayList<>();
    for (final String r : trainSlices.split(",")) {
      train.add(EvalCommand.parseRange(r.trim()));
    }
    final FineTuneDemonstration.Settings settings =
        new FineTuneDemonstration.Settings(
            image,
            labels,
            train,
            EvalCommand.parseRange(heldOut),
            Duration.ofSeconds(timeoutSeconds));
    final PrintWriter out = spec.commandLine().getOut();
    final long start = System.nanoTime();
    final Path dataDir = Files.createTempDirectory("medsam-finetune-demo-");
    try {
      final FineTuneDemonstration.Outcome outcome = run(settings, dataDir, out);
      FineTuneReport.write(outcome, bundle.toString(), outDir.resolve("report.json"));
      if (outcome.after().isEmpty()) {
        out.printf(
            Locale.ROOT,
            "nothing was published: %s (%s; trainer holdout DSC %.4f -> " + "%.4f)%n",
            outcome.training().decision(),
            outcome.training().reason(),
            outcome.training().dscBefore(),
            outcome.training().dscAfter());
        out.flush();
        return 3;
      }
      out.printf(
          Locale.ROOT,
          "Fine-tuning demonstration: %s on %s, corrections on axial %s "
              + "(%d accepted, %d rejected), held-out axial %s; decoder %s -> %s%n",
          labels.getFileName(),
          image.getFileName(),
          trainSlices,
          outcome.corrections().accepted(),
          outcome.corrections().rejected(),
          heldOut,
          outcome.before().decoderVersion(),
          outcome.after().get().decoderVersion());
      FineTuneReport.printTable(
          outcome.before(),
          outcome.after().get(),
          labels.getFileName().toString().startsWith("brodmann") ? "BA " : "label ",
          out);
      out.printf(
          Locale.ROOT,
          "wrote %s (%.0f s; training run and gate %.0f s after the "
              + "corrections were sent, served %.1f s after publication)%n",
          outDir.resolve("report.json"),
          (System.nanoTime() - start) / 1e9,
          outcome.trainingSeconds(),
          outcome.servedAfterSeconds());
      out.flush();
      return 0;
    } finally {
      deleteTree(dataDir);
    }
  }

  private FineTuneDemonstration.Outcome run(
      final FineTuneDemonstration.Settings settings, final Path dataDir, final PrintWriter out)
      throws BrokerStartException,
          WorkerStartException,
          IOException,
          InterruptedException,
          PipelineTimeoutException {
    try (KafkaEndpoint kafka =
            KafkaEndpoint.startEmbedded(BrokerSettings.of(dataDir.resolve("broker"), 0));
        PipelineSession session =
            PipelineSession.open(
                kafka,
                bundle,
                dataDir,
                EnumSet.of(Role.INGEST, Role.ENCODER, Role.DECODER, Role.TRAINER),
                this::trainerConfig,
                notice -> System.err.println("medsam: " + notice))) {
      final TrainerConfig used = session.trainer().orElseThrow().config();
      System.err.println(
          "medsam: trainer "
              + used.training()
              + ", trigger "
              + used.minNewPairs()
              + " new pairs (after "
              + used.quietPeriod().toSeconds()
              + " s without one) or "
              + used.maxWait());
      return new FineTuneDemonstration(
              session,
              settings,
              ProgressBar.onStderr(),
              line -> System.err.println("medsam: " + line))
          .run();
    }
  }

  private TrainerConfig trainerConfig(final TrainerConfig defaults) {
    return trainer.apply(defaults);
  }

  private static void deleteTree(final Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException | UncheckedIOException e) {
      System.err.println("medsam: could not remove " + dir + ": " + e.getMessage());
    }
  }
}
