package io.medsam.stream.dicom.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Debian tools the DICOM tests check against (dicom3tools' dciodvfy, dcmtk's storescu,
 * Debian's python3 with python3-pydicom). dev/setup installs them all: the Orthanc tests and the
 * end-to-end test fail with the package to install when one is absent ({@link #require}); the SEG
 * writer's tests skip with it ({@link #assumeDciodvfy}, {@link #assumePydicom}).
 */
public final class ExternalTool {
  /** dicom3tools' IOD validator. */
  public static final Path DCIODVFY = Path.of("/usr/bin/dciodvfy");

  /** Debian's interpreter, the one python3-pydicom is installed for. */
  public static final Path PYTHON = Path.of("/usr/bin/python3");

  /** dcmtk's DICOM C-STORE client. */
  public static final Path STORESCU = Path.of("/usr/bin/storescu");

  /** pydicom's test files (python3-pydicom), e.g. {@code JPEG2000.dcm}. */
  public static final Path PYDICOM_TEST_FILES =
      Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");

  private ExternalTool() {}

  /** Exit code and combined stdout + stderr. */
  public record Result(int exitCode, String output) {}

  /**
   * Fails the test, naming the Debian package to install, unless {@code file} exists (an
   * executable, a plugin, a test file).
   */
  public static void require(final Path file, final String debianPackage) {
    if (!Files.exists(file)) {
      fail(
          file
              + " not found: apt-get install "
              + debianPackage
              + " (dev/setup installs it; this test does not skip)");
    }
  }

  /** Skips the test unless dciodvfy is installed. */
  public static void assumeDciodvfy() {
    assumeTrue(
        Files.isExecutable(DCIODVFY),
        "dciodvfy not found: apt-get install dicom3tools (dev/setup does)");
  }

  /** Skips the test unless Debian's python3 can import pydicom. */
  public static void assumePydicom() throws IOException, InterruptedException {
    assumeTrue(
        Files.isExecutable(PYTHON)
            && run(List.of(PYTHON.toString(), "-c", "import pydicom")).exitCode() == 0,
        "pydicom not importable by /usr/bin/python3: apt-get install python3-pydicom");
  }

  /** dciodvfy's error lines about {@code file} (none for a valid object). */
  public static List<String> dciodvfyErrors(final Path file)
      throws IOException, InterruptedException {
    require(DCIODVFY, "dicom3tools");
    final Result r = run(List.of(DCIODVFY.toString(), file.toString()));
    return r.output().lines().filter(l -> l.startsWith("Error")).toList();
  }

  /** Runs a command (at most 120 s) and returns its exit code and output. */
  public static Result run(final List<String> command) throws IOException, InterruptedException {
    final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    final byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("timed out: " + command);
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
