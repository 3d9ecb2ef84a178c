package io.medsam.stream.dicom.orthanc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --orthanc [NAME=]URL}: names, refusals, and credentials that never leave the client. */
class OrthancServersTest {

  @Test
  void specsAreNamedOrGetTheDefaultName() {
    final OrthancServers servers =
        OrthancServers.parse(List.of("http://localhost:8042", "pacs=https://pacs.example:443/"));
    assertThat(servers.names()).containsExactly("orthanc", "pacs");
    assertThat(servers.client("orthanc").orElseThrow().base().toString())
        .isEqualTo("http://localhost:8042/");
    assertThat(servers.client("elsewhere")).isEmpty();
    assertThat(servers.client(null)).isEmpty();
    assertThat(OrthancServers.none().isEmpty()).isTrue();
  }

  @Test
  void malformedSpecsAreRefused() {
    assertThatThrownBy(() -> OrthancServers.parse(List.of("localhost:8042")))
        .hasMessageContaining("needs an http(s) URL");
    assertThatThrownBy(() -> OrthancServers.parse(List.of("a b=http://x:1")))
        .hasMessageContaining("the name before '='");
    assertThatThrownBy(
            () -> OrthancServers.parse(List.of("http://a:8042", "orthanc=http://b:8042")))
        .hasMessageContaining("two Orthancs named 'orthanc'");
  }

  @Test
  void credentialsInTheUrlAuthenticateAndAreNeverShown() throws Exception {
    final List<String> authorizations = new ArrayList<>();
    final HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/system",
        exchange -> {
          authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
          final byte[] body = "{\"Version\":\"1.10.1\"}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      final String url = "http://medsam:s%3Acret@127.0.0.1:" + server.getAddress().getPort() + "/";
      final OrthancServers servers = OrthancServers.parse(List.of("pacs=" + url));
      final OrthancClient client = servers.client("pacs").orElseThrow();
      assertThat(client.version()).isEqualTo("1.10.1");
      assertThat(authorizations)
          .containsExactly(
              "Basic "
                  + Base64.getEncoder()
                      .encodeToString("medsam:s:cret".getBytes(StandardCharsets.UTF_8)));
      assertThat(servers.toString()).doesNotContain("cret").doesNotContain("medsam:");
      assertThat(client.base().toString()).doesNotContain("cret");
      assertThatThrownBy(() -> client.series("0123abcd"))
          .isInstanceOf(OrthancException.class)
          .hasMessageNotContaining("cret");
    } finally {
      server.stop(0);
    }
  }
}
