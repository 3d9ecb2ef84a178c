package io.medsam.stream.decoder;

import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.topology.TopicProvisioner;
import io.medsam.stream.topology.Topics;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/** A real single-node KRaft cluster in this JVM with every MedSAM topic provisioned. */
public final class KafkaTestCluster implements AutoCloseable {

  private final KafkaClusterTestKit cluster;

  private KafkaTestCluster(final KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  /**
   * Starts the cluster and creates the topics.
   *
   * @return the running cluster
   * @throws Exception when the broker does not come up
   */
  public static KafkaTestCluster start() throws Exception {
    final KafkaClusterTestKit kit =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("offsets.topic.num.partitions", "3")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("transaction.state.log.num.partitions", "3")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .setConfigProp("group.min.session.timeout.ms", "1000")
            .setConfigProp("message.max.bytes", String.valueOf(Topics.LARGEST_MESSAGE_BYTES))
            .build();
    kit.format();
    kit.startup();
    kit.waitForReadyBrokers();
    final KafkaTestCluster c = new KafkaTestCluster(kit);
    try (Admin admin = Admin.create(ClientConfigs.admin(c.bootstrapServers()))) {
      TopicProvisioner.ensure(admin, Topics.all());
    }
    return c;
  }

  /**
   * @return bootstrap servers
   */
  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  /**
   * @return an idempotent String/byte[] producer
   */
  public KafkaProducer<String, byte[]> producer() {
    return new KafkaProducer<>(ClientConfigs.producer(bootstrapServers()));
  }

  /**
   * @return a read_committed String/byte[] consumer of a new group, from the earliest offset
   */
  public KafkaConsumer<String, byte[]> committedConsumer(final String group) {
    return new KafkaConsumer<>(ClientConfigs.consumer(bootstrapServers(), group));
  }

  /**
   * @return a read_uncommitted consumer (sees aborted transactions too)
   */
  public KafkaConsumer<String, byte[]> uncommittedConsumer(final String group) {
    final Map<String, Object> c = new HashMap<>(ClientConfigs.consumer(bootstrapServers(), group));
    c.put("isolation.level", "read_uncommitted");
    return new KafkaConsumer<>(c);
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
