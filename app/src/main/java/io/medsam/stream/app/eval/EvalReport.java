package io.medsam.stream.app.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The evaluation report: a JSON file with, per target, exactly {@code label}, {@code slices},
 * {@code dsc}, {@code nsd}, and at the top {@code mean_dsc}, {@code mean_nsd}, {@code bundle},
 * {@code decoder_version} (and the list under {@code targets}); and the same as a terminal table
 * with the median latency per target. With an {@link EllipseBaseline} (the demo), each target also
 * has {@code ellipse_dsc} and {@code ellipse_nsd}, the top {@code mean_ellipse_dsc} and {@code
 * mean_ellipse_nsd}, and the table shows the ellipse's columns beside the model's.
 */
public final class EvalReport {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private EvalReport() {}

  /**
   * @param result the scores
   * @param bundle the bundle named in the report
   * @return the JSON tree
   */
  public static ObjectNode toJson(final EvalRun.Result result, final String bundle) {
    final ObjectNode root = JSON.createObjectNode();
    final ArrayNode targets = root.putArray("targets");
    for (final TargetScore t : result.targets()) {
      targets
          .addObject()
          .put("label", t.label())
          .put("slices", t.slices())
          .put("dsc", t.dsc())
          .put("nsd", t.nsd());
    }
    root.put("mean_dsc", result.meanDsc());
    root.put("mean_nsd", result.meanNsd());
    root.put("bundle", bundle);
    root.put("decoder_version", result.decoderVersion());
    return root;
  }

  /**
   * @param result the scores
   * @param baseline the ellipse's scores on the same plan
   * @param bundle the bundle named in the report
   * @return the JSON tree of {@link #toJson(EvalRun.Result, String)} with the ellipse's fields
   */
  public static ObjectNode toJson(
      final EvalRun.Result result, final EllipseBaseline baseline, final String bundle) {
    final ObjectNode root = toJson(result, bundle);
    for (final JsonNode node : root.get("targets")) {
      final EllipseBaseline.Target e = baseline.target(node.get("label").asInt());
      ((ObjectNode) node).put("ellipse_dsc", e.dsc()).put("ellipse_nsd", e.nsd());
    }
    root.put("mean_ellipse_dsc", baseline.meanDsc());
    root.put("mean_ellipse_nsd", baseline.meanNsd());
    return root;
  }

  /**
   * Writes the JSON report.
   *
   * @param result the scores
   * @param bundle the bundle named in the report
   * @param file the report file (parent folders are created)
   * @throws IOException when writing fails
   */
  public static void write(final EvalRun.Result result, final String bundle, final Path file)
      throws IOException {
    write(toJson(result, bundle), file);
  }

  /**
   * Writes the JSON report with the ellipse's fields.
   *
   * @param result the scores
   * @param baseline the ellipse's scores on the same plan
   * @param bundle the bundle named in the report
   * @param file the report file (parent folders are created)
   * @throws IOException when writing fails
   */
  public static void write(
      final EvalRun.Result result,
      final EllipseBaseline baseline,
      final String bundle,
      final Path file)
      throws IOException {
    write(toJson(result, baseline, bundle), file);
  }

  private static void write(final ObjectNode report, final Path file) throws IOException {
    final Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    JSON.writeValue(file.toFile(), report);
  }

  /**
   * Prints the table: target, slices, prompts, DSC, NSD, median latency; then the means.
   *
   * @param result the scores
   * @param out where to print
   */
  public static void printTable(final EvalRun.Result result, final PrintWriter out) {
    final String row = "%-22s %6s %7s %7s %7s %12s%n";
    out.printf(row, "target", "slices", "prompts", "DSC", "NSD", "latency p50");
    for (final TargetScore t : result.targets()) {
      out.printf(
          row,
          truncate(t.label() + " " + t.name(), 22),
          t.slices(),
          t.prompts(),
          String.format("%.3f", t.dsc()),
          String.format("%.3f", t.nsd()),
          String.format("%.0f ms", t.latencyP50Millis()));
    }
    out.printf(
        row,
        "mean (" + result.targets().size() + " targets)",
        "",
        "",
        String.format("%.3f", result.meanDsc()),
        String.format("%.3f", result.meanNsd()),
        "");
    out.flush();
  }

  /**
   * Prints the table with the ellipse beside the model: target, slices, prompts, model DSC, ellipse
   * DSC, model NSD, ellipse NSD, median latency; then the means of both.
   *
   * @param result the scores
   * @param baseline the ellipse's scores on the same plan
   * @param out where to print
   */
  public static void printTable(
      final EvalRun.Result result, final EllipseBaseline baseline, final PrintWriter out) {
    final String row = "%-22s %6s %7s %9s %11s %9s %11s %12s%n";
    out.printf(
        row,
        "target",
        "slices",
        "prompts",
        "model DSC",
        "ellipse DSC",
        "model NSD",
        "ellipse NSD",
        "latency p50");
    for (final TargetScore t : result.targets()) {
      final EllipseBaseline.Target e = baseline.target(t.label());
      out.printf(
          row,
          truncate(t.label() + " " + t.name(), 22),
          t.slices(),
          t.prompts(),
          score(t.dsc()),
          score(e.dsc()),
          score(t.nsd()),
          score(e.nsd()),
          String.format("%.0f ms", t.latencyP50Millis()));
    }
    out.printf(
        row,
        "mean (" + result.targets().size() + " targets)",
        "",
        "",
        score(result.meanDsc()),
        score(baseline.meanDsc()),
        score(result.meanNsd()),
        score(baseline.meanNsd()),
        "");
    out.flush();
  }

  private static String score(final double value) {
    return String.format("%.3f", value);
  }

  static String truncate(final String s, final int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "~";
  }
}
