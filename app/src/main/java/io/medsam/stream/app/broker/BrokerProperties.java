package io.medsam.stream.app.broker;

import io.medsam.stream.topology.Topics;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Server configuration of the embedded single-node cluster: one process is broker and the only
 * controller (static quorum), every internal topic has one replica, and request, message and fetch
 * limits leave room for records of 32 MiB and more (decoder weights, ViT-B embeddings).
 */
final class BrokerProperties {
  /** Node id of the single combined broker/controller. */
  static final int NODE_ID = 1;

  /** Name of the KRaft controller listener. */
  static final String CONTROLLER_LISTENER = "CONTROLLER";

  /** Name of the client (and inter-broker) listener. */
  static final String CLIENT_LISTENER = "PLAINTEXT";

  /** Largest record batch of any MedSAM topic (dead letters: decoder weights plus a reason). */
  static final int MAX_MESSAGE_BYTES = Topics.LARGEST_MESSAGE_BYTES;

  /** Largest request or fetch response: two of the largest batches plus protocol overhead. */
  static final int MAX_REQUEST_BYTES = 2 * MAX_MESSAGE_BYTES + 1024 * 1024;

  private static final int INTERNAL_TOPIC_PARTITIONS = 5;

  private BrokerProperties() {}

  /**
   * @param dataDir formatted storage directory
   * @param clientPort client listener port (already chosen, not 0)
   * @param controllerPort controller listener port (already chosen, not 0)
   * @return the server properties for {@code kafka.server.KafkaConfig}
   */
  static Properties singleNode(final Path dataDir, final int clientPort, final int controllerPort) {
    final Properties p = new Properties();
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", Integer.toString(NODE_ID));
    p.setProperty("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
    p.setProperty("controller.listener.names", CONTROLLER_LISTENER);
    p.setProperty("inter.broker.listener.name", CLIENT_LISTENER);
    p.setProperty(
        "listeners",
        CLIENT_LISTENER
            + "://localhost:"
            + clientPort
            + ","
            + CONTROLLER_LISTENER
            + "://localhost:"
            + controllerPort);
    p.setProperty("advertised.listeners", CLIENT_LISTENER + "://localhost:" + clientPort);
    p.setProperty(
        "listener.security.protocol.map",
        CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    p.setProperty("log.dirs", dataDir.toString());
    p.setProperty("metadata.log.dir", dataDir.toString());

    // one node: every replicated internal state has exactly one replica
    p.setProperty("default.replication.factor", "1");
    p.setProperty("min.insync.replicas", "1");
    p.setProperty("offsets.topic.replication.factor", "1");
    p.setProperty("offsets.topic.num.partitions", Integer.toString(INTERNAL_TOPIC_PARTITIONS));
    p.setProperty("transaction.state.log.replication.factor", "1");
    p.setProperty("transaction.state.log.min.isr", "1");
    p.setProperty(
        "transaction.state.log.num.partitions", Integer.toString(INTERNAL_TOPIC_PARTITIONS));
    p.setProperty("share.coordinator.state.topic.replication.factor", "1");
    p.setProperty("share.coordinator.state.topic.min.isr", "1");
    p.setProperty("group.initial.rebalance.delay.ms", "0");
    // topics come from the topology's specs; a typo must fail, not create a 1-partition topic
    p.setProperty("auto.create.topics.enable", "false");

    // large records: embeddings (~2 MiB fp16 ViT-B) and decoder weights (~16 MiB) with headroom
    p.setProperty("message.max.bytes", Integer.toString(MAX_MESSAGE_BYTES));
    p.setProperty("replica.fetch.max.bytes", Integer.toString(MAX_MESSAGE_BYTES));
    p.setProperty("replica.fetch.response.max.bytes", Integer.toString(MAX_REQUEST_BYTES));
    p.setProperty("fetch.max.bytes", Integer.toString(MAX_REQUEST_BYTES));
    p.setProperty("socket.request.max.bytes", Integer.toString(MAX_REQUEST_BYTES));
    return p;
  }
}
