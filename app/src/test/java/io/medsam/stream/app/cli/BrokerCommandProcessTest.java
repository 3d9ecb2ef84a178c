package io.medsam.stream.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.app.broker.BrokerProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code medsam broker} as a user runs it: a separate JVM that prints its bootstrap address,
 * answers Kafka requests there, and shuts down cleanly on SIGTERM.
 */
class BrokerCommandProcessTest {
  private static final Pattern READY =
      Pattern.compile("medsam broker ready: bootstrap.servers=(\\S+) data=(\\S+)");

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void startsPrintsItsAddressAndStopsCleanlyOnSigterm(@TempDir final Path dir)
      throws IOException, InterruptedException {
    final Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    final Path stdout = dir.resolve("stdout.txt");
    final Path stderr = dir.resolve("stderr.txt");
    final Path dataDir = dir.resolve("data");
    final Process broker =
        new ProcessBuilder(
                java.toString(),
                "-Xmx1g",
                "-cp",
                System.getProperty("java.class.path"),
                "io.medsam.stream.app.Medsam",
                "broker",
                "--port",
                "0",
                "--data-dir",
                dataDir.toString())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    try {
      final Matcher ready = awaitReady(broker, stdout, stderr);
      assertThat(Path.of(ready.group(2))).isEqualTo(dataDir.resolve("broker"));
      assertThat(BrokerProbe.probe(ready.group(1), Duration.ofSeconds(5)))
          .isEqualTo(BrokerProbe.Result.KAFKA);

      broker.destroy(); // SIGTERM
      assertThat(broker.waitFor(90, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
    } finally {
      broker.destroyForcibly();
    }
    assertThat(Files.readAllLines(stdout)).as("stdout").contains("medsam broker stopped");
    assertThat(Files.readString(stderr)).as("stderr").doesNotContain("ERROR", "Exception");
    assertThat(dataDir.resolve("broker/meta.properties")).isRegularFile();
  }

  private static Matcher awaitReady(final Process broker, final Path stdout, final Path stderr)
      throws IOException, InterruptedException {
    while (broker.isAlive()) {
      final Matcher m = READY.matcher(Files.readString(stdout));
      if (m.find()) {
        return m;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "broker exited with "
            + broker.exitValue()
            + " before it was ready;"
            + " stdout: "
            + Files.readString(stdout)
            + " stderr: "
            + Files.readString(stderr));
  }
}
