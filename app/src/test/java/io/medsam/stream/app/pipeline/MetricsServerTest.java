package io.medsam.stream.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class MetricsServerTest {

  @Test
  void servesRegisteredMetersInPrometheusTextFormat() throws Exception {
    try (MetricsServer server = MetricsServer.start(0)) {
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
}
