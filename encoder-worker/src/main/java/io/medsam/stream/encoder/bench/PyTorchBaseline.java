package io.medsam.stream.encoder.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.imaging.preprocess.ResizeRule;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch forward pass of a bundle's image encoder, the baseline {@code medsam bench encoder}
 * sets ONNX Runtime (Java) against: {@code model/bench_pytorch_encoder.py} run as a subprocess on
 * the bundle's own weights, the same N slices of the same volume (at the bundle's S, under its
 * resize rule), batch 1 (as LiteMedSAM's inference script) and the same thread count. Only the
 * forward passes are timed there. When Python, PyTorch or the script is missing, or the script's
 * figures do not describe the asked measurement, the result is "unavailable" with the reason; the
 * benchmark goes on.
 *
 * <p>The script runs with glibc's malloc told to keep freed memory ({@link #MALLOC_ENV}, unless the
 * caller's environment sets those variables): PyTorch's CPU allocator otherwise gets every tensor
 * above 32 MiB (LiteMedSAM's first stage: 256 x 256 x 256 floats) from a fresh mmap and returns it
 * on free, and the page faults made the forward pass 4.6 times slower on the development machine.
 * The baseline is meant to be PyTorch at its plain best, not its allocator's worst.
 */
public final class PyTorchBaseline {

  /** The interpreter that has Debian's PyTorch (model/README.md). */
  public static final Path DEFAULT_PYTHON = Path.of("/usr/bin/python3");

  /** The script, relative to the repository root (where {@code ./medsam} is run). */
  public static final Path DEFAULT_SCRIPT = Path.of("model/bench_pytorch_encoder.py");

  /** glibc malloc settings for the script: no mmap for large blocks, no trimming of the heap. */
  public static final Map<String, String> MALLOC_ENV =
      Map.of("MALLOC_MMAP_MAX_", "0", "MALLOC_TRIM_THRESHOLD_", "4294967296");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** When to measure the baseline. */
  public enum Mode {
    /** For bundles of the LiteMedSAM family (manifest resize "litemedsam"), else off. */
    AUTO,
    /** Always. */
    ON,
    /** Never. */
    OFF;

    /** Whether the baseline is measured for {@code bundle}. */
    public boolean appliesTo(final ModelBundle bundle) {
      return this == ON || (this == AUTO && bundle.resize() == ResizeRule.LITEMEDSAM);
    }
  }

  /**
   * @param mode when to measure
   * @param python the interpreter
   * @param script bench_pytorch_encoder.py
   * @param timeout how long the script may run
   */
  public record Settings(Mode mode, Path python, Path script, Duration timeout) {

    /** Auto, /usr/bin/python3, model/bench_pytorch_encoder.py, one hour. */
    public static Settings defaults() {
      return new Settings(Mode.AUTO, DEFAULT_PYTHON, DEFAULT_SCRIPT, Duration.ofHours(1));
    }
  }

  /** What happened: a measurement, or why there is none. */
  public enum Status {
    MEASURED,
    UNAVAILABLE,
    OFF
  }

  /**
   * @param status measured, unavailable or off
   * @param slicesPerSecond PyTorch's slices/s when measured, else NaN
   * @param reason why there is no measurement; empty when measured
   * @param report the script's JSON object when measured, else null
   */
  public record Result(Status status, double slicesPerSecond, String reason, JsonNode report) {

    static Result off(final String reason) {
      return new Result(Status.OFF, Double.NaN, reason, null);
    }

    static Result unavailable(final String reason) {
      return new Result(Status.UNAVAILABLE, Double.NaN, reason, null);
    }

    /** Whether there is a figure. */
    public boolean measured() {
      return status == Status.MEASURED;
    }

    /**
     * This run and a later one of the same measurement: the mean slices/s, both runs' figures under
     * "runs_slices_per_s". Without a later figure this result stands alone.
     */
    public Result averagedWith(final Result later) {
      if (!measured() || !later.measured()) {
        return this;
      }
      final double mean = (slicesPerSecond + later.slicesPerSecond) / 2;
      final ObjectNode merged = ((ObjectNode) report).deepCopy();
      merged.put("slices_per_s", mean);
      merged.remove("seconds"); // one run's; the runs' figures follow
      merged.putArray("runs_slices_per_s").add(slicesPerSecond).add(later.slicesPerSecond);
      return new Result(Status.MEASURED, mean, "", merged);
    }

    /** The result as one JSON object: status, and the script's figures or the reason. */
    public String toJson() {
      final ObjectNode node = JSON.createObjectNode();
      node.put("status", status.name().toLowerCase(Locale.ROOT));
      if (report != null) {
        node.setAll((ObjectNode) report);
      } else {
        node.put("reason", reason);
      }
      return node.toString();
    }
  }

  private PyTorchBaseline() {}

  /**
   * Runs the script for {@code bundle} (if the mode applies) and checks that its figures are for N
   * slices of size S at batch 1 on {@code threads} threads.
   *
   * @param settings mode, interpreter, script, timeout
   * @param bundle the bundle measured
   * @param volume the NIfTI volume whose axial slices the Java side encodes
   * @param slices N
   * @param threads torch threads, = ONNX Runtime intra-op threads
   * @return the measurement, or why there is none
   */
  public static Result measure(
      final Settings settings,
      final ModelBundle bundle,
      final Path volume,
      final int slices,
      final int threads)
      throws InterruptedException {
    if (!settings.mode().appliesTo(bundle)) {
      return Result.off(
          settings.mode() == Mode.OFF
              ? "switched off"
              : "auto: bundle resize " + bundle.resize().manifestName() + " is not litemedsam");
    }
    if (!Files.isRegularFile(settings.script())) {
      return Result.unavailable("no script " + settings.script().toAbsolutePath());
    }
    final List<String> command =
        List.of(
            settings.python().toString(),
            settings.script().toString(),
            "--bundle",
            bundle.directory().toString(),
            "--slices",
            Integer.toString(slices),
            "--threads",
            Integer.toString(threads),
            "--batch",
            "1",
            "--volume",
            volume.toString());
    File stdout = null;
    File stderr = null;
    try {
      stdout = File.createTempFile("medsam-pytorch-bench", ".out");
      stderr = File.createTempFile("medsam-pytorch-bench", ".err");
      final ProcessBuilder builder =
          new ProcessBuilder(command).redirectOutput(stdout).redirectError(stderr);
      MALLOC_ENV.forEach(builder.environment()::putIfAbsent);
      final Process process = builder.start();
      if (!process.waitFor(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        return Result.unavailable("timed out after " + settings.timeout());
      }
      if (process.exitValue() != 0) {
        return Result.unavailable(
            settings.script() + " exited with " + process.exitValue() + ": " + lastLine(stderr));
      }
      return parse(lastLine(stdout), bundle, slices, threads);
    } catch (final IOException e) {
      return Result.unavailable("cannot run " + settings.python() + ": " + e.getMessage());
    } finally {
      delete(stdout);
      delete(stderr);
    }
  }

  /** The script's JSON line, checked against the measurement asked for. */
  static Result parse(
      final String line, final ModelBundle bundle, final int slices, final int threads) {
    final JsonNode report;
    try {
      report = JSON.readTree(line);
    } catch (final IOException e) {
      return Result.unavailable("not a JSON line from the script: " + line);
    }
    if (report == null || !report.isObject() || !report.path("slices_per_s").isNumber()) {
      return Result.unavailable("no slices_per_s in the script's output: " + line);
    }
    final List<String> mismatches = new ArrayList<>();
    expect(report, "image_size", bundle.imageSize(), mismatches);
    expect(report, "slices", slices, mismatches);
    expect(report, "threads", threads, mismatches);
    expect(report, "batch_size", 1, mismatches);
    if (!mismatches.isEmpty()) {
      return Result.unavailable("the script measured something else: " + mismatches);
    }
    return new Result(Status.MEASURED, report.get("slices_per_s").asDouble(), "", report);
  }

  private static void expect(
      final JsonNode report, final String field, final int value, final List<String> out) {
    if (report.path(field).asInt(-1) != value) {
      out.add(field + " " + report.path(field) + " instead of " + value);
    }
  }

  private static String lastLine(final File file) throws IOException {
    final List<String> lines = Files.readAllLines(file.toPath(), StandardCharsets.UTF_8);
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (!lines.get(i).isBlank()) {
        return lines.get(i).strip();
      }
    }
    return "(no output)";
  }

  private static void delete(final File file) {
    if (file != null && !file.delete()) {
      file.deleteOnExit();
    }
  }
}
