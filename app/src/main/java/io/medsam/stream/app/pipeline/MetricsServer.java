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
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves a {@link PrometheusMeterRegistry} at {@code http://HOST:PORT/metrics} (Prometheus text
 * format) with the JDK's HTTP server; JVM memory, GC, thread and CPU meters are bound as well.
 */
public final class MetricsServer implements AutoCloseable {

  /** The path Prometheus scrapes. */
  public static final String PATH = "/metrics";

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
   * @param port TCP port on all interfaces; 0 picks a free one
   * @return a started server with a fresh registry
   * @throws IOException when the port cannot be bound
   */
  public static MetricsServer start(final int port) throws IOException {
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
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
    server.setExecutor(executor);
    server.start();
    return metrics;
  }

  private void scrape(final HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      final byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
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
    return "http://localhost:" + port() + PATH;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    gc.close();
    registry.close();
  }
}
