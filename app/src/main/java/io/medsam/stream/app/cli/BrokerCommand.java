package io.medsam.stream.app.cli;

import io.medsam.stream.app.broker.BrokerSettings;
import io.medsam.stream.app.broker.BrokerStartException;
import io.medsam.stream.app.broker.EmbeddedKafka;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code medsam broker}: runs the embedded single-node Kafka broker until SIGTERM or Ctrl-C. */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = {
      "Run a real single-node Kafka broker (KRaft, broker and controller in this process) with "
          + "every MedSAM topic, until SIGTERM or Ctrl-C.",
      "Storage is formatted on first start and kept across restarts."
    })
public final class BrokerCommand implements Callable<Integer> {
  /** How long SIGTERM waits for the broker to flush and stop. */
  static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(60);

  @Mixin private DataDirOption data = new DataDirOption();

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "9092",
      description = "client port on localhost; 0 picks a free one (default: ${DEFAULT-VALUE})")
  private int port;

  @Option(
      names = "--partitions",
      paramLabel = "N",
      defaultValue = "3",
      description =
          "partitions of the prompt, embedding, mask and correction topics when they "
              + "are created (default: ${DEFAULT-VALUE})")
  private int partitions;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() throws BrokerStartException, InterruptedException {
    final PrintWriter out = spec.commandLine().getOut();
    try (StopSignal stop = StopSignal.onShutdown(SHUTDOWN_GRACE)) {
      final EmbeddedKafka kafka =
          EmbeddedKafka.start(new BrokerSettings(data.brokerDir(), port, partitions));
      try {
        out.printf(
            "medsam broker ready: bootstrap.servers=%s data=%s cluster=%s "
                + "(started in %.1f s; Ctrl-C or SIGTERM stops it)%n",
            kafka.bootstrapServers(),
            kafka.dataDir(),
            kafka.clusterId(),
            kafka.startupTime().toMillis() / 1000.0);
        out.flush();
        stop.await();
      } finally {
        kafka.close();
      }
      out.println("medsam broker stopped");
      out.flush();
    }
    return 0;
  }
}
