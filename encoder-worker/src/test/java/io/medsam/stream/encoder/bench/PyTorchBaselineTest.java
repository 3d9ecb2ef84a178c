package io.medsam.stream.encoder.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.medsam.stream.bundle.ModelBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The PyTorch baseline of the encoder benchmark: when it runs, its failures, the real script. */
class PyTorchBaselineTest {

  private static final Path ROOT = repoRoot();
  private static final Path SCRIPT = ROOT.resolve("model/bench_pytorch_encoder.py");
  private static final Path CH2 = Path.of(EncoderBenchmark.DEFAULT_VOLUME);
  private static ModelBundle lite;
  private static ModelBundle tiny;

  @BeforeAll
  static void bundles() throws Exception {
    lite = ModelBundle.read(ROOT.resolve("model/testdata/lite-random-bundle"));
    tiny = ModelBundle.read(ROOT.resolve("model/testdata/tiny-random-bundle"));
  }

  private static Path repoRoot() {
    final String root = System.getProperty("medsam.repo.root");
    return root != null ? Path.of(root) : Path.of("..").toAbsolutePath().normalize();
  }

  private static PyTorchBaseline.Settings settings(
      final PyTorchBaseline.Mode mode, final Path python, final Path script) {
    return new PyTorchBaseline.Settings(mode, python, script, Duration.ofMinutes(2));
  }

  @Test
  void autoMeansTheLiteMedSamFamilyOnly() {
    assertThat(PyTorchBaseline.Mode.AUTO.appliesTo(lite)).isTrue();
    assertThat(PyTorchBaseline.Mode.AUTO.appliesTo(tiny)).isFalse();
    assertThat(PyTorchBaseline.Mode.ON.appliesTo(tiny)).isTrue();
    assertThat(PyTorchBaseline.Mode.OFF.appliesTo(lite)).isFalse();
  }

  @Test
  void offRunsNothingAndSaysWhy() throws Exception {
    final PyTorchBaseline.Result r =
        PyTorchBaseline.measure(
            settings(PyTorchBaseline.Mode.AUTO, Path.of("/nonexistent/python3"), SCRIPT),
            tiny,
            CH2,
            2,
            1);
    assertThat(r.status()).isEqualTo(PyTorchBaseline.Status.OFF);
    assertThat(r.reason()).contains("stretch");
    assertThat(r.toJson()).contains("\"status\":\"off\"");
  }

  @Test
  void aMissingInterpreterOrScriptIsUnavailableNotAFailure() throws Exception {
    final PyTorchBaseline.Result noPython =
        PyTorchBaseline.measure(
            settings(PyTorchBaseline.Mode.ON, Path.of("/nonexistent/python3"), SCRIPT),
            lite,
            CH2,
            2,
            1);
    assertThat(noPython.status()).isEqualTo(PyTorchBaseline.Status.UNAVAILABLE);
    assertThat(noPython.reason()).contains("cannot run /nonexistent/python3");
    assertThat(noPython.slicesPerSecond()).isNaN();

    final PyTorchBaseline.Result noScript =
        PyTorchBaseline.measure(
            settings(PyTorchBaseline.Mode.ON, PyTorchBaseline.DEFAULT_PYTHON, Path.of("nope.py")),
            lite,
            CH2,
            2,
            1);
    assertThat(noScript.status()).isEqualTo(PyTorchBaseline.Status.UNAVAILABLE);
    assertThat(noScript.reason()).contains("no script");
  }

  @Test
  void figuresForAnotherMeasurementAreRefused() {
    final String line =
        "{\"slices_per_s\":3.5,\"slices\":2,\"threads\":4,\"batch_size\":1,\"image_size\":64}";
    assertThat(PyTorchBaseline.parse(line, lite, 2, 4).measured()).isTrue();
    final PyTorchBaseline.Result otherThreads = PyTorchBaseline.parse(line, lite, 2, 2);
    assertThat(otherThreads.status()).isEqualTo(PyTorchBaseline.Status.UNAVAILABLE);
    assertThat(otherThreads.reason()).contains("threads 4 instead of 2");
    assertThat(PyTorchBaseline.parse(line, tiny, 2, 4).reason())
        .contains("image_size 64 instead of 128");
    assertThat(PyTorchBaseline.parse("Traceback", lite, 2, 4).reason()).contains("not a JSON");
  }

  @Test
  void twoRunsAverageAndKeepBothFigures() {
    final String first =
        "{\"slices_per_s\":3.0,\"slices\":2,\"threads\":1,\"batch_size\":1,\"image_size\":64}";
    final PyTorchBaseline.Result both =
        PyTorchBaseline.parse(first, lite, 2, 1)
            .averagedWith(PyTorchBaseline.parse(first.replace("3.0", "5.0"), lite, 2, 1));
    assertThat(both.slicesPerSecond()).isEqualTo(4.0);
    assertThat(both.toJson()).contains("\"slices_per_s\":4.0", "\"runs_slices_per_s\":[3.0,5.0]");
    final PyTorchBaseline.Result lost =
        PyTorchBaseline.parse(first, lite, 2, 1)
            .averagedWith(PyTorchBaseline.parse("", lite, 2, 1));
    assertThat(lost.slicesPerSecond()).isEqualTo(3.0);
  }

  @Test
  void theScriptMeasuresTheBundlesEncoderOnTheSameSlicesSizeAndThreads() throws Exception {
    assumeTrue(Files.isExecutable(PyTorchBaseline.DEFAULT_PYTHON), "no /usr/bin/python3");
    assumeTrue(Files.isRegularFile(CH2), "no ch2.nii.gz");
    final PyTorchBaseline.Result r =
        PyTorchBaseline.measure(
            settings(PyTorchBaseline.Mode.AUTO, PyTorchBaseline.DEFAULT_PYTHON, SCRIPT),
            lite,
            CH2,
            2,
            1);
    assertThat(r.reason()).isEmpty();
    assertThat(r.status()).isEqualTo(PyTorchBaseline.Status.MEASURED);
    assertThat(r.slicesPerSecond()).isPositive();
    assertThat(r.report().get("weights").asText()).isEqualTo("bundle");
    assertThat(r.report().get("config").asText()).isEqualTo("lite_test");
    assertThat(r.report().get("malloc_env").get("MALLOC_MMAP_MAX_").asText())
        .isEqualTo(System.getenv().getOrDefault("MALLOC_MMAP_MAX_", "0"));
    assertThat(r.toJson()).startsWith("{\"status\":\"measured\",\"slices_per_s\":");
  }
}
