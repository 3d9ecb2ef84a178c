package io.medsam.stream.dicom.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Debian tools the DICOM tests check against (dicom3tools' dciodvfy, Debian's python3 with
 * python3-pydicom). A test that needs an absent tool is skipped with the package to install; CI
 * installs them (dev/setup), so there they run.
 */
public final class ExternalTool {
  /** dicom3tools' IOD validator. */
  public static final Path DCIODVFY = Path.of("/usr/bin/dciodvfy");

  /** Debian's interpreter, the one python3-pydicom is installed for. */
  public static final Path PYTHON = Path.of("/usr/bin/python3");

  private ExternalTool() {}

  /** Exit code and combined stdout + stderr. */
  public record Result(int exitCode, String output) {}

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
