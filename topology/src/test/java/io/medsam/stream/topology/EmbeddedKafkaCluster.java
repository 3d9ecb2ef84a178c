package io.medsam.stream.topology;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node KRaft Kafka (one combined broker and controller) in this JVM, for
 * integration tests; one per test class, started in {@code @BeforeAll}.
 */
final class EmbeddedKafkaCluster implements AutoCloseable {

  private final KafkaClusterTestKit cluster;

  private EmbeddedKafkaCluster(final KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  /** Formats, starts and waits for the broker. */
  static EmbeddedKafkaCluster start() throws Exception {
    final TestKitNodes nodes = new TestKitNodes.Builder()
        .setCombined(true)
        .setNumBrokerNodes(1)
        .setNumControllerNodes(1)
        .build();
    final KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("offsets.topic.num.partitions", "1")
        .setConfigProp("transaction.state.log.replication.factor", "1")
        .setConfigProp("transaction.state.log.min.isr", "1")
        .setConfigProp("transaction.state.log.num.partitions", "1")
        .setConfigProp("group.initial.rebalance.delay.ms", "0")
        .build();
    try {
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
    return new EmbeddedKafkaCluster(cluster);
  }

  String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  Admin admin() {
    return Admin.create(Map.copyOf(ClientConfigs.admin(bootstrapServers())));
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
