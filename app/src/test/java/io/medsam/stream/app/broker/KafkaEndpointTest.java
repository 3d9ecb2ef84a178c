package io.medsam.stream.app.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** "Use the cluster that answers, else start the embedded default" with a real broker. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KafkaEndpointTest {

  @Test
  void startsTheEmbeddedBrokerWhereNothingAnswersThenReusesIt(@TempDir final Path dir)
      throws Exception {
    final int port = LocalPorts.free();
    final String servers = "localhost:" + port;
    assertThat(BrokerProbe.probe(servers, Duration.ofSeconds(1)))
        .isEqualTo(BrokerProbe.Result.NOTHING_LISTENING);

    final List<String> notices = new ArrayList<>();
    try (KafkaEndpoint first = KafkaEndpoint.connectOrStart(servers, dir, notices::add)) {
      assertThat(first.embedded()).isPresent();
      assertThat(first.bootstrapServers()).isEqualTo(servers);
      assertThat(notices).singleElement().asString().contains("starting the embedded broker");

      try (KafkaEndpoint second = KafkaEndpoint.connectOrStart(servers, dir, notices::add)) {
        assertThat(second.embedded()).as("the running broker answers").isEmpty();
        assertThat(second.bootstrapServers()).isEqualTo(servers);
      }
      assertThat(BrokerProbe.probe(servers, Duration.ofSeconds(5)))
          .as("closing the second endpoint leaves the broker alone")
          .isEqualTo(BrokerProbe.Result.KAFKA);
      assertThat(notices).hasSize(1);
    }
    assertThat(BrokerProbe.probe(servers, Duration.ofSeconds(1)))
        .isEqualTo(BrokerProbe.Result.NOTHING_LISTENING);
  }

  @Test
  void aListenerThatIsNotKafkaIsReported(@TempDir final Path dir) throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      final String servers = "localhost:" + silent.getLocalPort();
      assertThat(BrokerProbe.probe(servers, Duration.ofMillis(500)))
          .isEqualTo(BrokerProbe.Result.NOT_KAFKA);
      assertThatThrownBy(() -> KafkaEndpoint.connectOrStart(servers, dir, s -> {}))
          .isInstanceOf(BrokerStartException.class)
          .hasMessageContaining("does not answer as Kafka");
    }
  }

  @Test
  void noEmbeddedStandInForRemoteOrMultipleAddresses() {
    assertThat(BrokerProbe.loopbackPort("localhost:9092")).hasValue(9092);
    assertThat(BrokerProbe.loopbackPort("127.0.0.1:19092")).hasValue(19092);
    assertThat(BrokerProbe.loopbackPort("[::1]:9093")).hasValue(9093);
    assertThat(BrokerProbe.loopbackPort("localhost:9092,localhost:9093")).isEmpty();
    assertThat(BrokerProbe.loopbackPort("192.0.2.1:9092")).isEmpty(); // TEST-NET-1
  }

  @Test
  void malformedBootstrapServersAreRejected() {
    assertThatThrownBy(() -> BrokerProbe.addresses("localhost"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("HOST:PORT");
    assertThatThrownBy(() -> BrokerProbe.addresses("localhost:http"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("numeric port");
  }
}
