package io.medsam.stream.app.finetune;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.medsam.stream.app.eval.EvalRun;
import io.medsam.stream.app.eval.TargetScore;
import io.medsam.stream.trainer.FineTuneCycle;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The demonstration's results as the MedSAM paper's Table 1 reads (a row per target: DSC and NSD
 * before, after and the improvement; then the mean), in Markdown, and as JSON.
 */
public final class FineTuneReport {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private FineTuneReport() {}

  /**
   * Prints the table.
   *
   * @param before scores with the base weights
   * @param after scores with the fine-tuned weights (same plan)
   * @param unnamed what precedes the value of a label without a name ("BA " for Brodmann areas)
   * @param out where to print
   */
  public static void printTable(
      final EvalRun.Result before,
      final EvalRun.Result after,
      final String unnamed,
      final PrintWriter out) {
    out.println(
        "| target | DSC before | DSC after | DSC gain | NSD before | NSD after | NSD gain |");
    out.println("|---|---|---|---|---|---|---|");
    final List<TargetScore> b = before.targets();
    final List<TargetScore> a = after.targets();
    for (int i = 0; i < b.size(); i++) {
      out.println(
          row(
              name(b.get(i), unnamed),
              b.get(i).dsc(),
              a.get(i).dsc(),
              b.get(i).nsd(),
              a.get(i).nsd()));
    }
    out.println(
        row(
            "**mean (" + b.size() + ")**",
            before.meanDsc(),
            after.meanDsc(),
            before.meanNsd(),
            after.meanNsd()));
    out.flush();
  }

  /**
   * Writes the JSON report: the training run, the corrections, and per target DSC and NSD before
   * and after.
   *
   * @param outcome what happened
   * @param bundle the bundle named in the report
   * @param file the report file (parent folders are created)
   * @throws IOException when writing fails
   */
  public static void write(
      final FineTuneDemonstration.Outcome outcome, final String bundle, final Path file)
      throws IOException {
    final ObjectNode root = JSON.createObjectNode();
    root.put("bundle", bundle);
    root.putObject("corrections")
        .put("published", outcome.corrections().published())
        .put("accepted", outcome.corrections().accepted())
        .put("rejected", outcome.corrections().rejected());
    final FineTuneCycle.Result run = outcome.training();
    root.putObject("training")
        .put("decision", run.decision().name())
        .put("version", run.version())
        .put("parent", run.parent())
        .put("train_pairs", run.trainPairs())
        .put("holdout_pairs", run.holdoutPairs())
        .put("validation_pairs", run.validationPairs())
        .put("excluded_pairs", run.excludedPairs())
        .put("gate_reason", run.reason())
        .put("holdout_dsc_before", run.dscBefore())
        .put("holdout_dsc_after", run.dscAfter())
        .put("seconds_to_result", outcome.trainingSeconds())
        .put("seconds_to_served", outcome.servedAfterSeconds());
    final EvalRun.Result before = outcome.before();
    root.put("decoder_before", before.decoderVersion());
    root.put("mean_dsc_before", before.meanDsc()).put("mean_nsd_before", before.meanNsd());
    outcome
        .after()
        .ifPresent(
            after -> {
              root.put("decoder_after", after.decoderVersion());
              root.put("mean_dsc_after", after.meanDsc()).put("mean_nsd_after", after.meanNsd());
            });
    final var targets = root.putArray("targets");
    for (int i = 0; i < before.targets().size(); i++) {
      final TargetScore b = before.targets().get(i);
      final ObjectNode t =
          targets
              .addObject()
              .put("label", b.label())
              .put("name", b.name())
              .put("slices", b.slices())
              .put("dsc_before", b.dsc())
              .put("nsd_before", b.nsd());
      final int n = i;
      outcome
          .after()
          .ifPresent(
              after ->
                  t.put("dsc_after", after.targets().get(n).dsc())
                      .put("nsd_after", after.targets().get(n).nsd()));
    }
    final Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    JSON.writeValue(file.toFile(), root);
  }

  private static String name(final TargetScore t, final String unnamed) {
    return t.name().equals(Integer.toString(t.label()))
        ? unnamed + t.label()
        : t.label() + " " + t.name();
  }

  private static String row(
      final String name,
      final double dscBefore,
      final double dscAfter,
      final double nsdBefore,
      final double nsdAfter) {
    return String.format(
        Locale.ROOT,
        "| %s | %.4f | %.4f | %+.4f | %.4f | %.4f | %+.4f |",
        name,
        dscBefore,
        dscAfter,
        dscAfter - dscBefore,
        nsdBefore,
        nsdAfter,
        nsdAfter - nsdBefore);
  }
}
