package io.medsam.stream.app.pipeline;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Serves a {@link PrometheusMeterRegistry} at {@code http://HOST:PORT/metrics} (Prometheus text
 * format) with the JDK's HTTP server; JVM memory, GC, thread and CPU meters are bound as well.
 * {@code /health} answers 200 while the process serves; {@code /ready} gives each worker's state as
 * JSON ({@link WorkerReadiness}), 200 when all run, else 503. HOST is loopback unless the operator
 * says otherwise ({@code --metrics-host}).
 */
public final class MetricsServer implements AutoCloseable {

  /** The path Prometheus scrapes. */
  public static final String PATH = "/metrics";

  /** Liveness: 200 while the process answers. */
  public static final String HEALTH = "/health";

  /** Readiness: each worker's state; 200 when all run, else 503. */
  public static final String READY = "/ready";

  /** The default address: this host only. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  private volatile Supplier<Map<String, WorkerReadiness>> workers = Map::of;

  private final PrometheusMeterRegistry registry;
  private final HttpServer server;
  private final ExecutorService executor;
  private final JvmGcMetrics gc = new JvmGcMetrics();

  private MetricsServer(
      final PrometheusMeterRegistry registry,
      final HttpServer server,
      final ExecutorService executor) {
    this.registry = registry;
    this.server = server;
    this.executor = executor;
  }

  /**
   * @param host the address to bind ({@code 0.0.0.0}: every interface)
   * @param port TCP port; 0 picks a free one
   * @return a started server with a fresh registry
   * @throws IOException when the port cannot be bound
   */
  public static MetricsServer start(final String host, final int port) throws IOException {
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
    final ExecutorService executor =
        Executors.newSingleThreadExecutor(
            r -> {
              final Thread t = new Thread(r, "medsam-metrics-http");
              t.setDaemon(true);
              return t;
            });
    final MetricsServer metrics = new MetricsServer(registry, server, executor);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    metrics.gc.bindTo(registry);
    server.createContext(PATH, metrics::scrape);
    server.createContext(HEALTH, e -> respond(e, 200, "application/json", "{\"live\":true}"));
    server.createContext(READY, metrics::ready);
    server.setExecutor(executor);
    server.start();
    return metrics;
  }

  private void scrape(final HttpExchange exchange) throws IOException {
    respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
  }

  private void ready(final HttpExchange exchange) throws IOException {
    final Map<String, WorkerReadiness> now = workers.get();
    respond(
        exchange,
        WorkerReadiness.allRunning(now) ? 200 : 503,
        "application/json",
        WorkerReadiness.json(now));
  }

  private static void respond(
      final HttpExchange exchange, final int status, final String type, final String text)
      throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      final byte[] body = text.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /**
   * Makes {@code /ready} report {@code source}'s workers (until then it reports none, with 503).
   *
   * @param source each role's readiness, by role name, read at every request
   */
  public void readiness(final Supplier<Map<String, WorkerReadiness>> source) {
    workers = source;
  }

  /**
   * @return the registry the workers register their meters in
   */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * @return the bound port
   */
  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * @return the scrape URL on this host
   */
  public String url() {
    final InetAddress bound = address();
    final String host =
        bound.isAnyLocalAddress()
            ? "localhost"
            : bound instanceof Inet6Address
                ? "[" + bound.getHostAddress() + "]"
                : bound.getHostAddress();
    return "http://" + host + ":" + port() + PATH;
  }

  /**
   * @return the bound address: loopback by default, the wildcard for {@code 0.0.0.0}
   */
  public InetAddress address() {
    return server.getAddress().getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    gc.close();
    registry.close();
  }
}
