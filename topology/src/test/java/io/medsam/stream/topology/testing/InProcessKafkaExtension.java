package io.medsam.stream.topology.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link InProcessKafka} (with every MedSAM topic) per test class: register it as
 * {@code @RegisterExtension static final InProcessKafkaExtension kafka = new
 * InProcessKafkaExtension();}. The broker is up before the class's own {@code @BeforeAll} methods
 * run and closed after its {@code @AfterAll} methods.
 */
public final class InProcessKafkaExtension implements BeforeAllCallback, AfterAllCallback {

  private InProcessKafka kafka;

  @Override
  public void beforeAll(final ExtensionContext context) throws Exception {
    kafka = InProcessKafka.start();
  }

  @Override
  public void afterAll(final ExtensionContext context) throws Exception {
    if (kafka != null) {
      kafka.close();
      kafka = null;
    }
  }

  /**
   * @return the running broker's bootstrap servers
   */
  public String bootstrapServers() {
    if (kafka == null) {
      throw new IllegalStateException("the in-process broker runs only while the test class does");
    }
    return kafka.bootstrapServers();
  }
}
