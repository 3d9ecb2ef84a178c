package io.medsam.stream.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.app.broker.SecuredKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker that dies takes {@code medsam run} down: a separate JVM runs the ingest role on a
 * SASL_SSL broker that checks ACLs ({@code --kafka-config}); /ready says it runs; the operator
 * revokes the pipeline user's ACLs, so the ingest loop fails for real (an authorization error is
 * fatal to a transactional worker) and every restart fails again; /ready reports the failed worker
 * with 503 and the process exits non-zero within the restarts' bound.
 */
class SupervisedRunProcessTest {
  private static final Pattern READY =
      Pattern.compile("medsam run ready: bootstrap.servers=\\S+ roles=ingest metrics=(\\S+)");

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void aWorkerThatCannotBeKeptRunningEndsTheProcessWithANonZeroExit(@TempDir final Path dir)
      throws Exception {
    try (SecuredKafka kafka =
        SecuredKafka.start(Files.createDirectories(dir.resolve("tls")), true)) {
      final Path config =
          Files.writeString(
              dir.resolve("client.properties"), kafka.clientProperties(SecuredKafka.PASSWORD));
      final Path stdout = dir.resolve("stdout.txt");
      final Path stderr = dir.resolve("stderr.txt");
      final Process run =
          new ProcessBuilder(
                  Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx512m",
                  "-cp",
                  System.getProperty("java.class.path"),
                  "io.medsam.stream.app.Medsam",
                  "run",
                  "--role",
                  "ingest",
                  "--bootstrap-servers",
                  kafka.secureServers(),
                  "--kafka-config",
                  config.toString(),
                  "--data-dir",
                  dir.resolve("data").toString(),
                  "--metrics-port",
                  "0",
                  "--instance-id",
                  "supervised")
              .redirectOutput(stdout.toFile())
              .redirectError(stderr.toFile())
              .start();
      try {
        final String metrics = awaitReady(run, stdout, stderr).group(1);
        assertThat(metrics).startsWith("http://127.0.0.1:");
        final String base = metrics.substring(0, metrics.length() - "/metrics".length());
        final HttpClient http = HttpClient.newHttpClient();
        assertThat(get(http, base + "/health").statusCode()).isEqualTo(200);
        final long readyBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        HttpResponse<String> ready = get(http, base + "/ready");
        while (ready.statusCode() != 200 && System.nanoTime() < readyBy) {
          Thread.sleep(200);
          ready = get(http, base + "/ready");
        }
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(ready.body()).contains("\"ingest\":{\"state\":\"RUNNING\",\"restarts\":0}");

        kafka.revokeAll();
        final long revoked = System.nanoTime();
        final List<String> failedReports = new ArrayList<>();
        while (run.isAlive() && System.nanoTime() - revoked < TimeUnit.SECONDS.toNanos(120)) {
          try {
            final HttpResponse<String> r = get(http, base + "/ready");
            if (r.statusCode() == 503 && r.body().contains("\"state\":\"FAILED\"")) {
              failedReports.add(r.body());
            }
          } catch (java.io.IOException closing) {
            // the process is going down
          }
          Thread.sleep(250);
        }
        assertThat(run.waitFor(30, TimeUnit.SECONDS)).as("exited after its worker died").isTrue();
        final String err = Files.readString(stderr);
        assertThat(run.exitValue()).as(err).isNotZero();
        assertThat(failedReports).as("/ready while the worker was down").isNotEmpty();
        System.out.println(
            "last /ready while down: " + failedReports.get(failedReports.size() - 1));
        assertThat(failedReports.get(failedReports.size() - 1))
            .contains(
                "\"ready\":false", "\"ingest\":{\"state\":\"FAILED\"", "AuthorizationException");
        assertThat(err)
            .contains("ingest worker restarted")
            .contains("medsam run failed: ingest worker")
            .contains("after 3 restarts; giving up");
      } finally {
        run.destroyForcibly();
      }
    }
  }

  private static HttpResponse<String> get(final HttpClient http, final String url)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Matcher awaitReady(final Process p, final Path stdout, final Path stderr)
      throws Exception {
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (p.isAlive() && System.nanoTime() < deadline) {
      final Matcher m = READY.matcher(Files.readString(stdout));
      if (m.find()) {
        return m;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "run not ready; stdout: "
            + Files.readString(stdout)
            + " stderr: "
            + Files.readString(stderr));
  }
}
