package io.medsam.stream.ingest;

import io.medsam.stream.topology.TopicProvisioner;
import io.medsam.stream.topology.Topics;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/** A one-node KRaft cluster in this JVM with the MedSAM topics created. */
final class InProcessKafka implements AutoCloseable {

  private final KafkaClusterTestKit cluster;

  private InProcessKafka(final KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  static InProcessKafka start() throws Exception {
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
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
      TopicProvisioner.ensure(admin, Topics.all());
    }
    return new InProcessKafka(cluster);
  }

  String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
