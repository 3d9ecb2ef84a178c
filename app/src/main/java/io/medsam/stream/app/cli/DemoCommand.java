package io.medsam.stream.app.cli;

import io.medsam.stream.app.broker.BrokerStartException;
import io.medsam.stream.app.broker.KafkaEndpoint;
import io.medsam.stream.app.client.PipelineSession;
import io.medsam.stream.app.eval.EllipseBaseline;
import io.medsam.stream.app.eval.EvalPlan;
import io.medsam.stream.app.eval.EvalReport;
import io.medsam.stream.app.eval.EvalRun;
import io.medsam.stream.app.eval.Evaluation;
import io.medsam.stream.app.eval.OverlayWriter;
import io.medsam.stream.app.eval.PlannedPrompt;
import io.medsam.stream.app.eval.ProgressBar;
import io.medsam.stream.app.eval.TargetScore;
import io.medsam.stream.app.pipeline.WorkerStartException;
import io.medsam.stream.client.PipelineTimeoutException;
import io.medsam.stream.imaging.SliceAxis;
import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.imaging.nifti.NiftiDatatype;
import io.medsam.stream.imaging.nifti.NiftiReader;
import io.medsam.stream.imaging.nifti.NiftiWriter;
import io.medsam.stream.imaging.preprocess.IntensityWindow;
import io.medsam.stream.imaging.preprocess.PixelBox;
import io.medsam.stream.imaging.preprocess.VolumeSlicer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code medsam demo}: {@code medsam eval} on a fixed small set (the ch2 brain MRI, five AAL
 * regions, the axial slab the demo model never trained on) plus overlay images, with the ellipse
 * inscribed in each box ({@link EllipseBaseline}) scored beside the model.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "The one-command demo: starts the embedded pipeline (unless one runs), ingests the ch2 "
          + "brain MRI (MRIcron), sends box prompts for five AAL regions on axial slices "
          + "70-89 through Kafka, prints per region the model's DSC and NSD beside those of the "
          + "ellipse inscribed in each box (the baseline to beat) and the latency, and writes "
          + "overlay PNGs (image, mask, box), the JSON report and the predicted labels."
    })
public final class DemoCommand implements Callable<Integer> {

  /** MRIcron's templates folder (Debian package mricron-data). */
  static final Path TEMPLATES = Path.of("/usr/share/mricron/templates");

  /**
   * Five large, well-known AAL regions: Frontal_Mid_L (7, a region the demo model never trained
   * on), Caudate_L (71, also never trained on), Thalamus_L (77), Temporal_Mid_L (85) and
   * Temporal_Mid_R (86).
   */
  static final List<Integer> TARGETS = List.of(7, 71, 77, 85, 86);

  /** The axial slab the demo model holds out from training (model/medsam_model/brain_data.py). */
  static final String SLAB = "70-89";

  @Mixin private CommonOptions common = new CommonOptions();

  @Mixin private PipelineClientOptions pipeline = new PipelineClientOptions();

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "out/demo",
      description = "output folder (default: ${DEFAULT-VALUE})")
  private Path outDir;

  @Option(
      names = "--slices",
      paramLabel = "FROM-TO",
      defaultValue = SLAB,
      description = "axial slices (default: ${DEFAULT-VALUE})")
  private String slices;

  @Spec private CommandSpec spec;

  @Override
  public Integer call()
      throws BrokerStartException,
          WorkerStartException,
          IOException,
          InterruptedException,
          PipelineTimeoutException {
    final Path image = TEMPLATES.resolve("ch2.nii.gz");
    final Path labels = TEMPLATES.resolve("aal.nii.gz");
    if (!Files.isRegularFile(image) || !Files.isRegularFile(labels)) {
      throw new IllegalStateException(
          "the sample brain MRI is missing ("
              + image
              + ", "
              + labels
              + "); install it with: sudo apt-get install -y mricron-data");
    }
    final long start = System.nanoTime();
    final int[] range = EvalCommand.parseRange(slices);
    final Evaluation evaluation =
        new Evaluation(image, labels, SliceAxis.AXIAL, range[0], range[1], TARGETS, 0, 0);
    final PrintWriter stdout = spec.commandLine().getOut();
    Files.createDirectories(outDir);
    try (KafkaEndpoint kafka = common.connect();
        PipelineSession session = pipeline.open(kafka, common)) {
      final ProgressBar bar = ProgressBar.onStderr();
      final EvalRun.Result result = evaluation.run(session.client(), bar, pipeline.timeout());
      final EllipseBaseline ellipse = EllipseBaseline.of(result.plan());
      final int written = writeOverlays(result, NiftiReader.read(image), bar);
      bar.finishLine();
      EvalReport.write(
          result, ellipse, EvalCommand.bundleName(session, result), outDir.resolve("report.json"));
      NiftiWriter.write(
          result.predictedLabels(),
          NiftiDatatype.INT16,
          "medsam demo",
          outDir.resolve("predicted-labels.nii.gz"));
      stdout.printf(
          "MedSAM Stream demo: ch2 brain MRI, axial slices %s, %d box prompts "
              + "through Kafka (encoder %s, decoder %s)%n",
          slices, result.plan().prompts().size(), result.encoderModelId(), result.decoderVersion());
      EvalReport.printTable(result, ellipse, stdout);
      stdout.printf("colours: %s%n", legend(result));
      stdout.printf(
          "wrote %d overlay PNGs, report.json and predicted-labels.nii.gz to %s " + "(%.0f s)%n",
          written, outDir, (System.nanoTime() - start) / 1e9);
      stdout.flush();
    }
    return 0;
  }

  private int writeOverlays(final EvalRun.Result result, final Volume image, final ProgressBar bar)
      throws IOException {
    final EvalPlan plan = result.plan();
    final IntensityWindow window = IntensityWindow.forScan(image);
    int n = 0;
    for (final int k : plan.slices()) {
      bar.update("overlays", n, plan.slices().size());
      final List<OverlayWriter.Layer> layers = new ArrayList<>();
      for (int t = 0; t < plan.labels().size(); t++) {
        final int label = plan.labels().get(t);
        final List<PixelBox> boxes =
            plan.prompts().stream()
                .filter(p -> p.label() == label && p.slice() == k)
                .map(PlannedPrompt::box)
                .toList();
        final BinaryMask mask = result.masks().getOrDefault(label, Map.of()).get(k);
        if (!boxes.isEmpty() || mask != null) {
          layers.add(new OverlayWriter.Layer(mask, boxes, t));
        }
      }
      OverlayWriter.write(
          VolumeSlicer.slice(image, plan.axis(), k, window),
          layers,
          outDir.resolve(String.format("axial-%03d.png", k)));
      n++;
    }
    bar.update("overlays", n, plan.slices().size());
    return n;
  }

  private static String legend(final EvalRun.Result result) {
    final List<String> parts = new ArrayList<>();
    for (int t = 0; t < result.plan().labels().size(); t++) {
      final int label = result.plan().labels().get(t);
      final String name =
          result.targets().stream()
              .filter(s -> s.label() == label)
              .map(TargetScore::name)
              .findFirst()
              .orElse("");
      parts.add(OverlayWriter.colourName(t) + "=" + name);
    }
    return String.join(", ", parts);
  }
}
