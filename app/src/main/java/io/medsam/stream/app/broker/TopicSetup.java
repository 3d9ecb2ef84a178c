package io.medsam.stream.app.broker;

/** Ensures the MedSAM topics on a freshly started broker (wired to topology's provisioner). */
final class TopicSetup {
  private TopicSetup() {}

  static void ensure(final String bootstrapServers, final int sharedPartitions)
      throws BrokerStartException {
    // integration with io.medsam.stream.topology.TopicProvisioner pending: topology not landed
  }
}
