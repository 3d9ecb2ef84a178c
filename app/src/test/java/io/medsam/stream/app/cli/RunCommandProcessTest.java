package io.medsam.stream.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.medsam.stream.app.Medsam;
import io.medsam.stream.app.broker.BrokerSettings;
import io.medsam.stream.app.broker.EmbeddedKafka;
import io.medsam.stream.app.client.GroupMembers;
import io.medsam.stream.app.client.PipelineSession;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.imaging.mask.CocoRle;
import io.medsam.stream.imaging.mask.MaskPng;
import io.medsam.stream.topology.ClientConfigs;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collection;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code medsam run} as a user runs it: a separate JVM with the embedded broker and all four
 * workers prints its address and metrics URL; {@code medsam segment} in this JVM gets a mask
 * through it (starting no workers of its own); /metrics shows the workers' meters; SIGTERM stops it
 * cleanly, and the broker's storage, reopened, holds no transaction left open.
 */
class RunCommandProcessTest {
  private static final Pattern READY =
      Pattern.compile(
          "medsam run ready: bootstrap.servers=(\\S+) roles=(\\S+) metrics=(\\S+) bundle=(\\S+)"
              + " viewer=(\\S+)");
  static final Path BUNDLE = Path.of("../model/testdata/tiny-random-bundle");
  static final Path CH2 = Path.of("/usr/share/mricron/templates/ch2.nii.gz");

  @Test
  @Timeout(value = 420, unit = TimeUnit.SECONDS)
  void runsEveryWorkerServesMetricsSegmentsAndStopsCleanlyOnSigterm(@TempDir final Path dir)
      throws Exception {
    final Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    final Path stdout = dir.resolve("stdout.txt");
    final Path stderr = dir.resolve("stderr.txt");
    final Path dataDir = dir.resolve("data");
    final Process run =
        new ProcessBuilder(
                java.toString(),
                "-Xmx2g",
                "-Dai.djl.offline=true",
                "-cp",
                System.getProperty("java.class.path"),
                "io.medsam.stream.app.Medsam",
                "run",
                "--port",
                "0",
                "--data-dir",
                dataDir.toString(),
                "--metrics-port",
                "0",
                "--http-port",
                "0",
                "--bundle",
                BUNDLE.toString(),
                "--scan-root",
                CH2.getParent().toString())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    try {
      final Matcher ready = awaitReady(run, stdout, stderr);
      final String bootstrap = ready.group(1);
      assertThat(ready.group(2)).isEqualTo("ingest,encoder,decoder,trainer,viewer");
      assertThat(ready.group(5)).startsWith("http://127.0.0.1:");
      assertThat(GroupMembers.missingRoles(bootstrap, PipelineSession.SERVING))
          .as("workers of the run process")
          .isEmpty();

      final Path png = dir.resolve("out/mask.png");
      final StringWriter out = new StringWriter();
      final CommandLine segment = Medsam.commandLine().setOut(new PrintWriter(out));
      final int code =
          segment.execute(
              "segment",
              "--bootstrap-servers",
              bootstrap,
              "--data-dir",
              dir.resolve("client").toString(),
              "--image",
              CH2.toString(),
              "--slice",
              "axial:80",
              "--box",
              "40,50,120,140",
              "--out",
              png.toString());
      assertThat(code).as(out.toString()).isZero();
      assertThat(out.toString())
          .contains("score ")
          .contains("decoder 1")
          .contains("encoder medsam-test-random:1:");
      final BinaryMask mask = MaskPng.read(png);
      assertThat(mask.height()).isEqualTo(217);
      assertThat(mask.width()).isEqualTo(181);
      final JsonNode rle = new ObjectMapper().readTree(dir.resolve("out/mask.json").toFile());
      assertThat(rle.get("slice_key").asText()).startsWith("sha256-").endsWith("/axial/80");
      assertThat(
              CocoRle.fromCompressedString(rle.get("segmentation").get("counts").asText(), 217, 181)
                  .decode())
          .isEqualTo(mask);
      assertThat(rle.get("area").asLong()).isEqualTo(mask.area());

      final String metrics = scrape(ready.group(3));
      assertThat(metrics)
          .contains("medsam_ingest_scans_total{instance=\"medsam-ingest-")
          .contains("medsam_encoder_slices_total")
          .contains("medsam_encoder_encode_latency")
          .contains("kafka_stream")
          .contains("medsam_trainer_pairs")
          .contains("jvm_memory_used_bytes");
      assertThat(value(metrics, "medsam_ingest_scans_total")).isEqualTo(1.0);
      assertThat(value(metrics, "medsam_encoder_slices_total")).isGreaterThanOrEqualTo(1.0);

      run.destroy(); // SIGTERM
      assertThat(run.waitFor(150, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
    } finally {
      run.destroyForcibly();
    }
    final String log = Files.readString(stderr);
    assertThat(Files.readString(stdout)).contains("medsam run stopping", "medsam run stopped");
    // our own components log no error (the broker may log transient produce retries)
    assertThat(log)
        .as("stderr")
        .doesNotContainPattern("ERROR +i\\.m\\.s\\.")
        .contains("stopped after committing its work in hand")
        .contains("decoder worker medsam-decoder stopping");
    assertNoOpenTransactions(dataDir.resolve("broker"));
  }

  private static void assertNoOpenTransactions(final Path brokerDir)
      throws ExecutionException, InterruptedException, Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(BrokerSettings.of(brokerDir, 0));
        Admin admin = Admin.create(ClientConfigs.admin(kafka.bootstrapServers()))) {
      // the coordinator loads its log after start: wait until it lists the ingest, encoder and
      // decoder producers
      Collection<TransactionListing> txs = admin.listTransactions().all().get();
      final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (txs.size() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(500);
        txs = admin.listTransactions().all().get();
      }
      assertThat(txs).as("transactional producers of the workers").hasSizeGreaterThanOrEqualTo(3);
      assertThat(txs)
          .allSatisfy(
              t ->
                  assertThat(t.state())
                      .as(t.transactionalId())
                      .isNotIn(
                          TransactionState.ONGOING,
                          TransactionState.PREPARE_COMMIT,
                          TransactionState.PREPARE_ABORT));
    }
  }

  static String scrape(final String url) throws IOException, InterruptedException {
    final HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  /** The sum of every sample of {@code metric} in a Prometheus text exposition. */
  static double value(final String exposition, final String metric) {
    double sum = 0;
    for (final String line : exposition.split("\n")) {
      if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  private static Matcher awaitReady(final Process p, final Path stdout, final Path stderr)
      throws IOException, InterruptedException {
    while (p.isAlive()) {
      final Matcher m = READY.matcher(Files.readString(stdout));
      if (m.find()) {
        return m;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "run exited with "
            + p.exitValue()
            + " before it was ready;"
            + " stdout: "
            + Files.readString(stdout)
            + " stderr: "
            + Files.readString(stderr));
  }
}
