package io.medsam.stream.app.broker;

import io.medsam.stream.topology.ClientConfigs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * make sure it is Kafka. Nothing is retried, so a dead address costs at most the timeout. The
 * request carries this process's connection properties ({@link ClientConfigs#connection()}), so a
 * TLS or SASL listener answers as Kafka when they fit it.
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

  /**
   * Makes sure a Kafka cluster answers at {@code bootstrapServers} with the client properties every
   * client of this process carries ({@link ClientConfigs#connection()}: TLS, SASL), for a command
   * that must not fall back to the embedded broker.
   *
   * @param bootstrapServers comma-separated {@code host:port} list
   * @param timeout bound for the TCP connects, and again for the Kafka request (TLS and SASL
   *     handshakes included)
   * @throws BrokerStartException naming the servers and why they did not answer: nothing listens,
   *     the handshake or authentication failed (the broker's message), or no answer in time
   */
  public static void requireKafka(final String bootstrapServers, final Duration timeout)
      throws BrokerStartException {
    final String with =
        " (security.protocol "
            + ClientConfigs.connection().securityProtocol()
            + "; with --kafka-config the embedded broker never stands in)";
    if (addresses(bootstrapServers).stream().noneMatch(a -> accepts(a, timeout))) {
      throw new BrokerStartException("nothing listens at " + bootstrapServers + with, null);
    }
    final Optional<Throwable> failure = describeCluster(bootstrapServers, timeout);
    if (failure.isPresent()) {
      final Throwable cause = failure.get();
      throw new BrokerStartException(
          "Kafka at "
              + bootstrapServers
              + " refused or did not answer"
              + with
              + ": "
              + (cause instanceof TimeoutException
                  ? "no answer within " + timeout.toSeconds() + " s"
                  : cause.getClass().getSimpleName() + ": " + cause.getMessage()),
          cause);
    }
  }

  private static boolean describesCluster(final String bootstrapServers, final Duration timeout) {
    return describeCluster(bootstrapServers, timeout).isEmpty();
  }

  /** Empty when the cluster answered, else why not (the cause of a failed request). */
  private static Optional<Throwable> describeCluster(
      final String bootstrapServers, final Duration timeout) {
    final int ms = (int) Math.max(1, timeout.toMillis());
    final Map<String, Object> config = new HashMap<>(ClientConfigs.admin(bootstrapServers));
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
    config.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, (long) ms);
    config.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, (long) ms);
    final Admin admin = Admin.create(config);
    try {
      admin
          .describeCluster(new DescribeClusterOptions().timeoutMs(ms))
          .clusterId()
          .get(ms, TimeUnit.MILLISECONDS);
      return Optional.empty();
    } catch (ExecutionException e) {
      return Optional.of(e.getCause() == null ? e : e.getCause());
    } catch (TimeoutException e) {
      return Optional.of(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of(e);
    } finally {
      // no grace: a silent peer would otherwise keep close() waiting on its pending calls
      admin.close(Duration.ZERO);
    }
  }
}
