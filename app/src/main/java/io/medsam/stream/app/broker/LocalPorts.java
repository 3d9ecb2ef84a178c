package io.medsam.stream.app.broker;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Local TCP ports for the embedded broker's listeners. */
final class LocalPorts {
  private LocalPorts() {}

  /**
   * Asks the OS for a currently free port on the loopback interface. Another process may take it
   * before the broker binds; the caller retries on a bind failure.
   *
   * @return a port number in the ephemeral range
   * @throws BrokerStartException when no port can be obtained
   */
  static int free() throws BrokerStartException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new BrokerStartException("cannot find a free local port", e);
    }
  }

  /**
   * Fails fast, before Kafka starts (and logs its own stack traces), when {@code port} is taken.
   *
   * @param port the client port the user asked for
   * @throws BrokerStartException when it cannot be bound on the loopback interface
   */
  static void requireFree(final int port) throws BrokerStartException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
    } catch (IOException e) {
      throw new BrokerStartException(
          "cannot listen on localhost:"
              + port
              + ": "
              + e.getMessage()
              + ". Is another broker running there? Choose another port with --port",
          e);
    }
  }

  /**
   * @param failure a startup failure
   * @return whether it (or a cause) says a listener could not bind its address
   */
  static boolean isBindFailure(final Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof BindException
          || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
        return true;
      }
    }
    return false;
  }
}
