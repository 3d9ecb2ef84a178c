package io.medsam.stream.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.medsam.stream.app.broker.BrokerStartException;
import io.medsam.stream.app.broker.KafkaEndpoint;
import io.medsam.stream.app.client.PipelineSession;
import io.medsam.stream.app.eval.Box3dRun;
import io.medsam.stream.app.eval.EvalReport;
import io.medsam.stream.app.eval.EvalRun;
import io.medsam.stream.app.eval.Evaluation;
import io.medsam.stream.app.eval.LabelNames;
import io.medsam.stream.app.eval.ProgressBar;
import io.medsam.stream.app.eval.TargetScore;
import io.medsam.stream.app.pipeline.WorkerStartException;
import io.medsam.stream.client.PipelineTimeoutException;
import io.medsam.stream.dicom.seg.Segment;
import io.medsam.stream.imaging.SliceAxis;
import io.medsam.stream.imaging.nifti.NiftiDatatype;
import io.medsam.stream.imaging.nifti.NiftiWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code medsam eval}: the MedSAM evaluation protocol (docs/architecture.md §3) through the
 * streaming pipeline, with a JSON report, a table and the predicted label volume.
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluate through the pipeline as the MedSAM paper does: on each slice one box per "
          + "8-connected component (>= 100 px) of each target, prompts via Kafka, masks "
          + "stacked into a volume, 3D DSC and NSD (1 mm) per target and their mean.",
      "Writes the JSON report (--out), the predicted label volume (NIfTI) and prints a table;"
          + " with --seg-out / --seg-orthanc also the predicted masks as a DICOM SEG."
    })
public final class EvalCommand implements Callable<Integer> {

  @Mixin private CommonOptions common = new CommonOptions();

  @Mixin private PipelineClientOptions pipeline = new PipelineClientOptions();

  @Option(
      names = "--image",
      required = true,
      paramLabel = "IMG",
      description =
          "the scan: a NIfTI file, or a DICOM series folder (or file) whose voxel grid the labels"
              + " share (same dimensions and affine)")
  private Path image;

  @Option(
      names = "--labels",
      required = true,
      paramLabel = "LABELS.nii.gz",
      description = "ground-truth label volume on the image's grid")
  private Path labels;

  @Option(
      names = "--label-ids",
      split = ",",
      paramLabel = "ID[,ID...]",
      description = "targets (default: every label present in the chosen slices)")
  private List<Integer> labelIds = List.of();

  @Option(
      names = "--axis",
      paramLabel = "axial|coronal|sagittal",
      defaultValue = "axial",
      description = "slicing axis (default: ${DEFAULT-VALUE})")
  private String axis;

  @Option(
      names = "--slices",
      paramLabel = "FROM-TO",
      description = "slice range, inclusive (default: every slice)")
  private String slices;

  @Option(
      names = "--jitter",
      paramLabel = "PX",
      defaultValue = "0",
      description =
          "move each box side outwards by a random 0..PX pixels (default: " + "${DEFAULT-VALUE})")
  private int jitter;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "jitter seed (default: " + "${DEFAULT-VALUE})")
  private long seed;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "report.json",
      description = "the JSON report")
  private Path out;

  @Option(
      names = "--labels-out",
      paramLabel = "PRED.nii.gz",
      description =
          "predicted label volume (default: next to the report, " + "<report>-labels.nii.gz)")
  private Path labelsOut;

  @Option(
      names = "--protocol",
      defaultValue = "per-slice",
      paramLabel = "per-slice|box3d",
      description =
          "per-slice: one box per connected component on each slice (the paper's protocol);"
              + " box3d: also one 3D box per target (its ground truth's extent over the slices),"
              + " walked slice by slice by the pipeline, scored beside the per-slice protocol"
              + " (default: ${DEFAULT-VALUE})")
  private String protocol;

  @Mixin private SegOutOptions seg = new SegOutOptions();

  @Spec private CommandSpec spec;

  @Override
  public Integer call()
      throws BrokerStartException,
          WorkerStartException,
          IOException,
          InterruptedException,
          PipelineTimeoutException {
    if (!protocol.equals("per-slice") && !protocol.equals("box3d")) {
      throw new IllegalArgumentException("--protocol must be per-slice or box3d, not " + protocol);
    }
    final int[] range = parseRange(slices);
    final Evaluation evaluation =
        new Evaluation(
            image,
            labels,
            SliceAxis.fromWireName(axis),
            range[0],
            range[1],
            labelIds,
            jitter,
            seed);
    // the SEG's source and Orthanc are checked before any broker, worker or record
    final Optional<SegOutOptions.Destination> segOut = seg.prepare(image);
    final PrintWriter stdout = spec.commandLine().getOut();
    try (KafkaEndpoint kafka = common.connect();
        PipelineSession session = pipeline.open(kafka, common)) {
      final EvalRun.Result result =
          evaluation.run(session.client(), ProgressBar.onStderr(), pipeline.timeout());
      final Path predicted = labelsOut != null ? labelsOut : defaultLabelsOut(out);
      EvalReport.write(result, bundleName(session, result), out);
      NiftiWriter.write(
          result.predictedLabels(),
          NiftiDatatype.INT16,
          "medsam eval " + result.decoderVersion(),
          predicted);
      if (protocol.equals("box3d")) {
        final List<Box3dRun.TargetWalk> walks =
            Box3dRun.run(
                session.client(),
                evaluation.scan(),
                result.plan(),
                LabelNames.beside(labels),
                ProgressBar.onStderr(),
                pipeline.timeout());
        Box3dRun.printComparison(result, walks, stdout);
        final Path walksOut = sibling(out, "-box3d.json");
        new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .writeValue(walksOut.toFile(), walks);
        stdout.printf("box3d walks %s%n", walksOut);
      } else {
        EvalReport.printTable(result, stdout);
      }
      stdout.printf(
          "report %s, predicted labels %s, decoder %s%n", out, predicted, result.decoderVersion());
      stdout.flush();
      if (segOut.isPresent()) {
        writeSeg(segOut.get(), result, stdout);
      }
    }
    return 0;
  }

  /**
   * The per-slice protocol's predicted masks as one SEG: one segment per target (its atlas name),
   * each target's union of masks on each evaluated slice.
   */
  private static void writeSeg(
      final SegOutOptions.Destination seg, final EvalRun.Result result, final PrintWriter stdout)
      throws IOException {
    final List<Segment> segments = new ArrayList<>();
    for (final TargetScore t : result.targets()) {
      segments.add(
          seg.source()
              .segment(
                  Segment.labelOf(t.name(), Integer.toString(t.label())),
                  result.plan().axis(),
                  result.masks().getOrDefault(t.label(), Map.of())));
    }
    seg.write(
        segments,
        "MedSAM eval",
        result.encoderModelId() + " decoder " + result.decoderVersion(),
        stdout);
  }

  static String bundleName(final PipelineSession session, final EvalRun.Result result) {
    return session
        .localBundle()
        .map(Path::toString)
        .orElse("remote encoder " + result.encoderModelId());
  }

  static Path defaultLabelsOut(final Path report) {
    return sibling(report, "-labels.nii.gz");
  }

  private static Path sibling(final Path report, final String suffix) {
    final String name = report.getFileName().toString();
    final String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    return report.resolveSibling(stem + suffix);
  }

  /** "FROM-TO" to {from, to}; null gives {-1, -1} (every slice). */
  static int[] parseRange(final String range) {
    if (range == null) {
      return new int[] {-1, -1};
    }
    final String[] parts = range.trim().split("-");
    if (parts.length != 2) {
      throw new IllegalArgumentException("--slices needs FROM-TO, e.g. 70-89, not " + range);
    }
    return new int[] {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())};
  }
}
