package io.medsam.stream.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.topology.worker.WorkerState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MetricsServerTest {

  @Test
  void servesRegisteredMetersInPrometheusTextFormat() throws Exception {
    try (MetricsServer server = MetricsServer.start(MetricsServer.DEFAULT_HOST, 0)) {
      server.registry().counter("medsam.test.prompts", "instance", "a").increment(3);
      final HttpClient http = HttpClient.newHttpClient();
      final HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(server.url())).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
      assertThat(r.body())
          .contains("medsam_test_prompts_total{instance=\"a\"} 3.0")
          .contains("jvm_memory_used_bytes");
      final HttpResponse<String> post =
          http.send(
              HttpRequest.newBuilder(URI.create(server.url()))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(405);
    }
  }

  @Test
  void bindsLoopbackByDefault() throws Exception {
    try (MetricsServer server = MetricsServer.start(MetricsServer.DEFAULT_HOST, 0)) {
      assertThat(server.address().isLoopbackAddress()).isTrue();
    }
    try (MetricsServer server = MetricsServer.start("0.0.0.0", 0)) {
      assertThat(server.address().isAnyLocalAddress()).isTrue();
    }
  }

  @Test
  void healthIsLiveAndReadyIsEachWorkersStateWith503UnlessAllRun() throws Exception {
    try (MetricsServer server = MetricsServer.start(MetricsServer.DEFAULT_HOST, 0)) {
      final String base = "http://127.0.0.1:" + server.port();
      final HttpClient http = HttpClient.newHttpClient();
      assertThat(get(http, base + "/health").statusCode()).isEqualTo(200);
      final HttpResponse<String> none = get(http, base + "/ready");
      assertThat(none.statusCode()).isEqualTo(503);
      assertThat(none.body()).isEqualTo("{\"ready\":false,\"workers\":{}}");
      final Map<String, WorkerReadiness> workers = new LinkedHashMap<>();
      workers.put("ingest", new WorkerReadiness(WorkerState.RUNNING, 0, Optional.empty()));
      workers.put("encoder", new WorkerReadiness(WorkerState.RUNNING, 0, Optional.empty()));
      server.readiness(() -> Map.copyOf(workers));
      assertThat(get(http, base + "/ready").statusCode()).isEqualTo(200);
      workers.put(
          "encoder", new WorkerReadiness(WorkerState.FAILED, 2, Optional.of("Topic\"Error")));
      final HttpResponse<String> failed = get(http, base + "/ready");
      assertThat(failed.statusCode()).isEqualTo(503);
      assertThat(failed.body())
          .contains("\"ready\":false")
          .contains(
              "\"encoder\":{\"state\":\"FAILED\",\"restarts\":2,"
                  + "\"lastFailure\":\"Topic\\\"Error\"}")
          .contains("\"ingest\":{\"state\":\"RUNNING\",\"restarts\":0}");
      assertThat(get(http, base + "/health").statusCode()).isEqualTo(200);
    }
  }

  private static HttpResponse<String> get(final HttpClient http, final String url)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
