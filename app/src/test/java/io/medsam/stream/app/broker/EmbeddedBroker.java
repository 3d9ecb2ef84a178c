package io.medsam.stream.app.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The app's own embedded broker (what {@code medsam broker} runs) for one test class, on a free
 * port and in a temporary directory removed afterwards:
 *
 * <pre>{@code
 * @RegisterExtension static final EmbeddedBroker BROKER = new EmbeddedBroker();
 * }</pre>
 */
public final class EmbeddedBroker implements BeforeAllCallback, AfterAllCallback {

  private Path dir;
  private EmbeddedKafka kafka;

  @Override
  public void beforeAll(final ExtensionContext context) throws Exception {
    dir = Files.createTempDirectory("medsam-test-broker");
    kafka = EmbeddedKafka.start(BrokerSettings.of(dir.resolve("broker"), 0));
  }

  @Override
  public void afterAll(final ExtensionContext context) throws IOException {
    if (kafka != null) {
      kafka.close();
    }
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (final Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /**
   * @return the running broker
   */
  public EmbeddedKafka kafka() {
    return kafka;
  }

  /**
   * @return its {@code bootstrap.servers}
   */
  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }
}
