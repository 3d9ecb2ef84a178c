package io.medsam.stream.app.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.medsam.stream.app.broker.EmbeddedBroker;
import io.medsam.stream.app.pipeline.PipelineWorkers;
import io.medsam.stream.app.pipeline.Role;
import io.medsam.stream.app.pipeline.ViewerAddress;
import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.dicom.orthanc.OrthancServers;
import io.medsam.stream.topology.Topics;
import io.medsam.stream.trainer.publish.WeightTensors;
import io.medsam.stream.trainer.publish.WeightsPublisher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollback end to end in the viewer role of the app: two versions published with the trainer's
 * {@link WeightsPublisher} after the bundle's own weights; the versions table starts with the
 * bundle's version (in force until a version is published); a rollback request without the
 * confirmation publishes nothing; with it, the older version is published again on the serving and
 * the history topic (through {@code medsam weights rollback}'s code) and the page shows it in
 * force.
 */
class ViewerRollbackTest {

  private static final Path BUNDLE = Path.of("../model/testdata/tiny-random-bundle");
  private static final String MODEL = "medsam-test-random";
  private static final String BASE = "1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @RegisterExtension static final EmbeddedBroker BROKER = new EmbeddedBroker();

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void theBundleVersionIsListedAndAConfirmedRollbackServesTheOlderVersion(@TempDir final Path dir)
      throws Exception {
    final String bootstrap = BROKER.bootstrapServers();
    try (PipelineWorkers workers =
        PipelineWorkers.start(
            EnumSet.of(Role.VIEWER),
            new PipelineWorkers.Settings(
                bootstrap,
                BUNDLE,
                dir.resolve("data"),
                "viewer-rollback",
                new SimpleMeterRegistry(),
                UnaryOperator.identity(),
                new ViewerAddress("127.0.0.1", 0),
                OrthancServers.none()))) {
      assertThat(workers.awaitReady(Duration.ofMinutes(1))).isTrue();
      final String base = workers.viewer().orElseThrow().url().orElseThrow();

      // before the trainer published anything: the bundle's own version, in force
      final JsonNode before = get(base, "api/trainer");
      assertThat(versions(before)).containsExactly(BASE + " BUNDLE");
      assertThat(before.get("inForce").get(MODEL).asText()).isEqualTo(BASE);

      final WeightsPublisher publisher = new WeightsPublisher(bootstrap, Clock.systemUTC());
      publisher.publish(weights("ft1", BASE, 1), Duration.ofSeconds(30));
      publisher.publish(weights("ft2", "ft1", 2), Duration.ofSeconds(30));
      final JsonNode published =
          awaitTrainer(base, t -> versions(t).size() == 3 && inForce(t).equals("ft2"));
      assertThat(versions(published))
          .containsExactly(BASE + " BUNDLE", "ft1 PUBLISHED", "ft2 PUBLISHED");
      assertThat(published.get("rollback").asBoolean()).isTrue();

      // unconfirmed: refused, nothing published
      final HttpResponse<String> unconfirmed =
          post(base, "api/trainer/rollback", "{\"version\":\"ft1\"}");
      assertThat(unconfirmed.statusCode()).isEqualTo(400);
      assertThat(JSON.readTree(unconfirmed.body()).get("error").asText()).contains("confirm");
      assertThat(history()).extracting(DecoderWeights::getVersion).containsExactly("ft1", "ft2");

      // confirmed: ft1 again, on both topics, and in force in the page
      final HttpResponse<String> confirmed =
          post(base, "api/trainer/rollback", "{\"version\":\"ft1\",\"confirm\":true}");
      assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
      assertThat(JSON.readTree(confirmed.body()).get("published").asText())
          .isEqualTo(MODEL + " ft1");
      final List<DecoderWeights> history = history();
      assertThat(history)
          .extracting(DecoderWeights::getVersion)
          .containsExactly("ft1", "ft2", "ft1");
      final DecoderWeights again = history.get(2);
      assertThat(again.getRollbackOf()).isEqualTo("ft2");
      assertThat(again.getTensors()).isEqualTo(history.get(0).getTensors());
      final List<DecoderWeights> serving =
          TopicRecords.read(bootstrap, Topics.DECODER_WEIGHTS, DecoderWeights.class);
      assertThat(serving.get(serving.size() - 1).getVersion()).isEqualTo("ft1");
      final JsonNode after =
          awaitTrainer(base, t -> versions(t).size() == 4 && inForce(t).equals("ft1"));
      assertThat(after.get("versions").get(3).get("rollbackOf").asText()).isEqualTo("ft2");
    }
  }

  private static List<DecoderWeights> history() {
    return TopicRecords.read(
        BROKER.bootstrapServers(), Topics.DECODER_WEIGHTS_HISTORY, DecoderWeights.class);
  }

  private static DecoderWeights weights(final String version, final String parent, final int n) {
    final float[] values = new float[16];
    for (int i = 0; i < values.length; i++) {
      values[i] = n * 100 + i;
    }
    return DecoderWeights.newBuilder()
        .setModelId(MODEL)
        .setVersion(version)
        .setParentVersion(parent)
        .setTensors(
            WeightTensors.toRecords(
                Map.of("mask_decoder.w", values), Map.of("mask_decoder.w", new long[] {4, 4})))
        .setHoldoutDscBefore(0.5)
        .setHoldoutDscAfter(0.5 + n / 100.0)
        .setTrainPairs(10)
        .setHoldoutPairs(3)
        .setTrainerConfig(Map.of())
        .setCreatedAt(Instant.now())
        .build();
  }

  private static List<String> versions(final JsonNode trainer) {
    final List<String> out = new ArrayList<>();
    trainer
        .get("versions")
        .forEach(v -> out.add(v.get("version").asText() + " " + v.get("verdict").asText()));
    return out;
  }

  private static String inForce(final JsonNode trainer) {
    final JsonNode v = trainer.get("inForce").get(MODEL);
    return v == null ? "" : v.asText();
  }

  private static JsonNode awaitTrainer(
      final String base, final java.util.function.Predicate<JsonNode> done) throws Exception {
    final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonNode last = get(base, "api/trainer");
    while (!done.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the page's trainer state did not arrive: " + last);
      }
      Thread.sleep(200);
      last = get(base, "api/trainer");
    }
    return last;
  }

  private static JsonNode get(final String base, final String path) throws Exception {
    final HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static HttpResponse<String> post(final String base, final String path, final String body)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
