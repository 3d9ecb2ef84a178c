package io.medsam.stream.encoder.bench;

import io.medsam.stream.topology.testing.InProcessKafka;

/**
 * Runs {@link EncoderBenchmark} against a one-node broker started in this JVM, for machines without
 * a running cluster: {@code java -cp ... BenchmarkOnInProcessKafka --bundle DIR ...} (every
 * argument but --bootstrap-servers is passed through). Not a test.
 */
public final class BenchmarkOnInProcessKafka {

  private BenchmarkOnInProcessKafka() {}

  public static void main(final String[] args) throws Exception {
    try (InProcessKafka kafka = InProcessKafka.startWithoutTopics()) {
      final String[] all = new String[args.length + 2];
      all[0] = "--bootstrap-servers";
      all[1] = kafka.bootstrapServers();
      System.arraycopy(args, 0, all, 2, args.length);
      EncoderBenchmark.main(all);
    }
  }
}
