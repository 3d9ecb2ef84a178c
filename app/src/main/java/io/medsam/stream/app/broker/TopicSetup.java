package io.medsam.stream.app.broker;

import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.topology.ProvisioningReport;
import io.medsam.stream.topology.TopicLayout;
import io.medsam.stream.topology.TopicMismatchException;
import io.medsam.stream.topology.TopicProvisioner;
import io.medsam.stream.topology.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ensures every MedSAM topic on a freshly started embedded broker with topology's {@link
 * TopicProvisioner}: missing topics are created, and existing ones whose partition count or cleanup
 * policy differ make the start fail (topics are never silently changed).
 */
final class TopicSetup {
  /** The embedded broker has one node, so every topic has one replica. */
  private static final int SINGLE_REPLICA = 1;

  private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

  private TopicSetup() {}

  /**
   * @param sharedPartitions partitions of the co-partitioned topics (replication is always 1 here)
   * @return the layout the embedded broker provisions
   */
  static TopicLayout singleNode(final int sharedPartitions) {
    return new TopicLayout(sharedPartitions, SINGLE_REPLICA);
  }

  /**
   * @param bootstrapServers the running broker
   * @param sharedPartitions partition count of the co-partitioned topics
   * @throws BrokerStartException when a topic cannot be created or exists with another layout
   */
  static void ensure(final String bootstrapServers, final int sharedPartitions)
      throws BrokerStartException {
    try (Admin admin = Admin.create(ClientConfigs.admin(bootstrapServers))) {
      final ProvisioningReport report =
          TopicProvisioner.ensure(admin, Topics.all(singleNode(sharedPartitions)));
      LOG.info(
          "topics: {} created, {} already present{}",
          report.created().size(),
          report.existing().size(),
          report.warnings().isEmpty() ? "" : ", " + report.warnings().size() + " warnings");
    } catch (TopicMismatchException e) {
      throw new BrokerStartException(
          "cannot set up the MedSAM topics on "
              + bootstrapServers
              + ": "
              + e.getMessage()
              + ". Start with the --partitions the topics were created with,"
              + " or use another --data-dir",
          e);
    } catch (KafkaException e) {
      throw new BrokerStartException(
          "cannot set up the MedSAM topics on " + bootstrapServers + ": " + e.getMessage(), e);
    }
  }
}
