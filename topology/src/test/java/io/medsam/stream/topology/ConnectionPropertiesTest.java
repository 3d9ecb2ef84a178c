package io.medsam.stream.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client properties file, and every configuration ClientConfigs builds carrying it. */
class ConnectionPropertiesTest {

  @TempDir Path dir;

  @AfterEach
  void plaintextAgain() {
    ClientConfigs.connectWith(ConnectionProperties.NONE);
  }

  private Path file(final String text) throws Exception {
    final Path f = dir.resolve("client.properties");
    Files.writeString(f, text);
    return f;
  }

  @Test
  void readsKafkaClientPropertiesAndHidesValuesFromToString() throws Exception {
    final ConnectionProperties p =
        ConnectionProperties.read(
            file(
                "# a comment\nsecurity.protocol=SASL_SSL\nsasl.mechanism = SCRAM-SHA-512\n"
                    + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule"
                    + " required \\\n  username=\"u\" password=\"secret\";\n"));
    assertThat(p.securityProtocol()).isEqualTo("SASL_SSL");
    assertThat(p.values().get("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
    assertThat(p.values().get("sasl.jaas.config")).endsWith("password=\"secret\";");
    assertThat(p.toString()).contains("sasl.jaas.config").doesNotContain("secret");
  }

  @Test
  void refusesKeysThePipelineSetsPerClient() throws Exception {
    final Path f = file("security.protocol=SSL\nbootstrap.servers=a:1\nisolation.level=x\n");
    assertThatThrownBy(() -> ConnectionProperties.read(f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("[bootstrap.servers, isolation.level]");
  }

  @Test
  void everyClientConfigurationCarriesThem() {
    ClientConfigs.connectWith(
        new ConnectionProperties(
            Map.of("security.protocol", "SSL", "ssl.truststore.location", "/t.p12")));
    final String servers = "localhost:9093";
    assertThat(new AdminClientConfig(ClientConfigs.admin(servers)).getString("security.protocol"))
        .isEqualTo("SSL");
    assertThat(
            new ProducerConfig(ClientConfigs.transactionalProducer(servers, "t"))
                .getString("security.protocol"))
        .isEqualTo("SSL");
    final ConsumerConfig consumer =
        new ConsumerConfig(
            KafkaClients.transactionalWorkerConsumer(servers, "g", "t", 1, Map.of()));
    assertThat(consumer.getString("security.protocol")).isEqualTo("SSL");
    assertThat(consumer.getString("ssl.truststore.location")).isEqualTo("/t.p12");
    final StreamsConfig streams = new StreamsConfig(ClientConfigs.streams(servers, "app"));
    assertThat(streams.getMainConsumerConfigs("app", "c", 0))
        .containsEntry("security.protocol", "SSL");
    assertThat(streams.getProducerConfigs("p")).containsEntry("security.protocol", "SSL");
    assertThat(streams.getAdminConfigs("a")).containsEntry("ssl.truststore.location", "/t.p12");
    ClientConfigs.connectWith(ConnectionProperties.NONE);
    assertThat(ClientConfigs.admin(servers)).doesNotContainKey("security.protocol");
  }
}
