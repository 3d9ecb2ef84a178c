package io.medsam.stream.app.broker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * A quick answer to "is there a Kafka cluster at these bootstrap servers?": a TCP connect with a
 * short timeout to each address, then, if something listens, a {@code DescribeCluster} request to
 * make sure it is Kafka. Nothing is retried, so a dead address costs at most the timeout.
 */
public final class BrokerProbe {

  /** What the probe found. */
  public enum Result {
    /** A Kafka cluster answered {@code DescribeCluster}. */
    KAFKA,
    /** No address accepted a TCP connection. */
    NOTHING_LISTENING,
    /** Something accepted the connection but did not answer as Kafka in time. */
    NOT_KAFKA
  }

  private BrokerProbe() {}

  /**
   * @param bootstrapServers comma-separated {@code host:port} list
   * @param timeout bound for each step (TCP connect per address, then the Kafka request)
   * @return what answers there
   */
  public static Result probe(final String bootstrapServers, final Duration timeout) {
    boolean listening = false;
    for (InetSocketAddress address : addresses(bootstrapServers)) {
      if (accepts(address, timeout)) {
        listening = true;
        break;
      }
    }
    if (!listening) {
      return Result.NOTHING_LISTENING;
    }
    return describesCluster(bootstrapServers, timeout) ? Result.KAFKA : Result.NOT_KAFKA;
  }

  /**
   * @param bootstrapServers comma-separated {@code host:port} list
   * @return the port when the list is a single loopback address ({@code localhost}, {@code
   *     127.0.0.1}, {@code ::1}), where an embedded broker could stand in; else empty
   */
  public static OptionalInt loopbackPort(final String bootstrapServers) {
    final List<InetSocketAddress> all = addresses(bootstrapServers);
    if (all.size() != 1) {
      return OptionalInt.empty();
    }
    final InetSocketAddress only = all.get(0);
    try {
      final InetAddress resolved = InetAddress.getByName(only.getHostString());
      return resolved.isLoopbackAddress() ? OptionalInt.of(only.getPort()) : OptionalInt.empty();
    } catch (UnknownHostException e) {
      return OptionalInt.empty();
    }
  }

  static List<InetSocketAddress> addresses(final String bootstrapServers) {
    final List<InetSocketAddress> out = new ArrayList<>();
    for (String entry : bootstrapServers.split(",")) {
      final String s = entry.trim();
      final int colon = s.lastIndexOf(':');
      if (s.isEmpty() || colon <= 0 || colon == s.length() - 1) {
        throw new IllegalArgumentException("bootstrap server '" + s + "' is not HOST:PORT");
      }
      final String host = s.substring(0, colon).replace("[", "").replace("]", "");
      final int port;
      try {
        port = Integer.parseInt(s.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bootstrap server '" + s + "' has no numeric port", e);
      }
      out.add(InetSocketAddress.createUnresolved(host, port));
    }
    return out;
  }

  private static boolean accepts(final InetSocketAddress unresolved, final Duration timeout) {
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(unresolved.getHostString(), unresolved.getPort()),
          (int) Math.max(1, timeout.toMillis()));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean describesCluster(final String bootstrapServers, final Duration timeout) {
    final int ms = (int) Math.max(1, timeout.toMillis());
    final Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms,
                AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, (long) ms,
                AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, (long) ms));
    try {
      admin
          .describeCluster(new DescribeClusterOptions().timeoutMs(ms))
          .clusterId()
          .get(ms, TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      // no grace: a silent peer would otherwise keep close() waiting on its pending calls
      admin.close(Duration.ZERO);
    }
  }
}
