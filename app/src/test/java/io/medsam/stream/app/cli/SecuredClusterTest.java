package io.medsam.stream.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.app.Medsam;
import io.medsam.stream.app.broker.SecuredKafka;
import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.topology.ConnectionProperties;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --kafka-config} against a real broker whose only client listener is SASL_SSL
 * (SCRAM-SHA-512 over TLS, certificate and user made here): {@code medsam segment} runs ingest,
 * encoder and decoder with a box prompt through it; a wrong password, no properties at all, or
 * nothing listening each end the command at once with a message that says why, and no embedded
 * broker stands in.
 */
@Timeout(value = 400, unit = TimeUnit.SECONDS)
class SecuredClusterTest {
  @TempDir static Path dir;
  private static SecuredKafka kafka;

  @BeforeAll
  static void startSecuredBroker() throws Exception {
    kafka = SecuredKafka.start(Files.createDirectories(dir.resolve("tls")));
  }

  @AfterAll
  static void stop() throws Exception {
    if (kafka != null) {
      kafka.close();
    }
  }

  @AfterEach
  void plaintextAgain() {
    ClientConfigs.connectWith(ConnectionProperties.NONE);
  }

  private record Result(int code, String out, String err) {}

  private static Result medsam(final String... args) {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final int code =
        Medsam.commandLine()
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  private static Result segment(final String servers, final String... more) throws Exception {
    final List<String> all = new ArrayList<>(List.of("segment", "--bootstrap-servers", servers));
    all.addAll(List.of("--bundle", RunCommandProcessTest.BUNDLE.toString(), "--timeout", "180"));
    all.addAll(List.of("--image", png().toString(), "--box", "18,8,42,32"));
    all.addAll(List.of(more));
    return medsam(all.toArray(String[]::new));
  }

  private static Path png() throws Exception {
    final Path file = dir.resolve("square.png");
    if (!Files.exists(file)) {
      final BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 0; y < 48; y++) {
        for (int x = 0; x < 64; x++) {
          img.getRaster().setSample(x, y, 0, x > 20 && x < 40 && y > 10 && y < 30 ? 220 : 30);
        }
      }
      assertThat(ImageIO.write(img, "png", file.toFile())).isTrue();
    }
    return file;
  }

  private static Path properties(final String name, final String password) throws Exception {
    return Files.writeString(dir.resolve(name), kafka.clientProperties(password));
  }

  @Test
  void thePipelineRunsThroughSaslSslWithTheClientProperties() throws Exception {
    final Path mask = dir.resolve("mask.png");
    final Result r =
        segment(
            kafka.secureServers(),
            "--kafka-config",
            properties("client.properties", SecuredKafka.PASSWORD).toString(),
            "--out",
            mask.toString());
    assertThat(r.code).as(r.out + r.err).isZero();
    assertThat(r.out).contains("/2d/0 box", "score");
    assertThat(r.err).doesNotContain("embedded broker");
    assertThat(ImageIO.read(mask.toFile()).getWidth()).isEqualTo(64);
  }

  @Test
  void aWrongPasswordIsRefusedWithTheBrokersReason() throws Exception {
    final long start = System.nanoTime();
    final Result r =
        segment(
            kafka.secureServers(),
            "--kafka-config",
            properties("wrong.properties", "not-the-password").toString());
    assertThat(r.code).isNotZero();
    assertThat(r.err)
        .contains(kafka.secureServers(), "SaslAuthenticationException", "Authentication failed")
        .doesNotContain("starting the embedded broker");
    assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(60));
  }

  @Test
  void withoutClientPropertiesTheSecureListenerIsNotTakenForKafka() throws Exception {
    final Result r = segment(kafka.secureServers());
    assertThat(r.code).isNotZero();
    assertThat(r.err)
        .contains(kafka.secureServers(), "does not answer as Kafka", "--kafka-config")
        .doesNotContain("starting the embedded broker");
  }

  @Test
  void withClientPropertiesNothingListeningNamesTheServersAndStartsNoEmbeddedBroker()
      throws Exception {
    final int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    final Path good = properties("client.properties", SecuredKafka.PASSWORD);
    final Result r = segment("localhost:" + port, "--kafka-config", good.toString());
    assertThat(r.code).isNotZero();
    assertThat(r.err)
        .contains("nothing listens at localhost:" + port, "SASL_SSL")
        .doesNotContain("starting the embedded broker");
    final Result run = medsam("run", "--kafka-config", good.toString());
    assertThat(run.code).isNotZero();
    assertThat(run.err).contains("--kafka-config needs --bootstrap-servers");
  }
}
