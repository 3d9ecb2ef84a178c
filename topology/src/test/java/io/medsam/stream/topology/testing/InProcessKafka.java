package io.medsam.stream.topology.testing;

import io.medsam.stream.topology.TopicProvisioner;
import io.medsam.stream.topology.Topics;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real one-node KRaft cluster (combined broker and controller) in this JVM, sized for single
 * broker transactions and 64 MiB records; one per test class, started in {@code @BeforeAll}.
 */
public final class InProcessKafka implements AutoCloseable {

  private final KafkaClusterTestKit cluster;

  private InProcessKafka(final KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  /**
   * Starts the broker and creates every MedSAM topic ({@link Topics#all()}).
   *
   * @return the running cluster
   * @throws Exception when the broker does not come up or the topics cannot be created
   */
  public static InProcessKafka start() throws Exception {
    final InProcessKafka kafka = startWithoutTopics();
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      TopicProvisioner.ensure(admin, Topics.all());
    } catch (final Exception e) {
      kafka.close();
      throw e;
    }
    return kafka;
  }

  /**
   * Starts the broker with no topics of its own (for callers that create theirs).
   *
   * @return the running cluster
   * @throws Exception when the broker does not come up
   */
  public static InProcessKafka startWithoutTopics() throws Exception {
    final KafkaClusterTestKit cluster =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("offsets.topic.num.partitions", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("transaction.state.log.num.partitions", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .setConfigProp("message.max.bytes", String.valueOf(64 << 20))
            .build();
    try {
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
    } catch (final Exception e) {
      cluster.close();
      throw e;
    }
    return new InProcessKafka(cluster);
  }

  /**
   * @return the broker's bootstrap servers
   */
  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
