package io.medsam.stream.encoder.bench;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * Runs {@link EncoderBenchmark} against a one-node broker started in this JVM, for machines without
 * a running cluster: {@code java -cp ... BenchmarkOnInProcessKafka --bundle DIR ...} (every
 * argument but --bootstrap-servers is passed through). Not a test.
 */
public final class BenchmarkOnInProcessKafka {

  private BenchmarkOnInProcessKafka() {}

  public static void main(final String[] args) throws Exception {
    try (KafkaClusterTestKit cluster =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .build()) {
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      final String[] all = new String[args.length + 2];
      all[0] = "--bootstrap-servers";
      all[1] = cluster.bootstrapServers();
      System.arraycopy(args, 0, all, 2, args.length);
      EncoderBenchmark.main(all);
    }
  }
}
