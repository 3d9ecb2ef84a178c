package io.medsam.stream.viewer.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.medsam.stream.client.PipelineClient;
import io.medsam.stream.viewer.ViewerConfig;
import io.medsam.stream.viewer.seg.SegSources;
import io.medsam.stream.viewer.state.SeriesCatalog;
import io.medsam.stream.viewer.state.SliceMasks;
import io.medsam.stream.viewer.state.TrainerBoard;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The viewer's HTTP server: the static page under {@code /} and the JSON API under {@code /api/}.
 * The JDK's {@code com.sun.net.httpserver} (no dependency, the one the metrics endpoint uses too):
 * a few clinicians' browsers on one host, not a public web site. A pool of threads serves the
 * requests, since a request for a mask waits for it.
 */
public final class ViewerHttp implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ViewerHttp.class);
  private static final String STATIC = "/io/medsam/stream/viewer/static/";
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8");

  private final HttpServer server;
  private final ExecutorService pool;
  private final int maxBodyBytes;
  private final SeriesApi series;
  private final PromptApi prompts;
  private final VolumeApi volumes;
  private final CorrectionApi corrections;
  private final TrainerApi trainer;
  private final MaskExport export;
  private final SegExport seg;

  /**
   * Binds the address (nothing served until {@link #start()}).
   *
   * @throws IOException when the address cannot be bound
   */
  public ViewerHttp(
      final ViewerConfig config,
      final PipelineClient client,
      final SeriesCatalog catalog,
      final SliceMasks masks,
      final TrainerBoard board,
      final Producer<byte[], byte[]> producer)
      throws IOException {
    this.maxBodyBytes = config.maxBodyBytes();
    final SegSources segSources = new SegSources(config.orthancs());
    this.series = new SeriesApi(catalog, masks, client, config.modelView(), segSources);
    this.volumes = new VolumeApi(catalog, client, config.maskWait());
    this.prompts = new PromptApi(catalog, client, config.maskWait());
    this.corrections = new CorrectionApi(catalog, producer);
    this.trainer = new TrainerApi(board, config.rollback(), config.decoderBase());
    this.export = new MaskExport(catalog, masks);
    this.seg = new SegExport(catalog, masks, segSources, Clock.systemUTC());
    this.server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 0);
    this.pool =
        Executors.newFixedThreadPool(
            16,
            r -> {
              final Thread t = new Thread(r, "medsam-viewer-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(pool);
    server.createContext("/", this::handle);
  }

  /** Starts serving. */
  public void start() {
    server.start();
  }

  /**
   * @return the address served, e.g. {@code http://127.0.0.1:8080/}
   */
  public String url() {
    final InetSocketAddress a = server.getAddress();
    return "http://" + a.getHostString() + ":" + a.getPort() + "/";
  }

  private void handle(final HttpExchange ex) throws IOException {
    try (ex) {
      try {
        route(ex);
      } catch (ApiException e) {
        Exchanges.json(ex, e.status(), Map.of("error", e.getMessage()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        Exchanges.json(ex, 503, Map.of("error", "the viewer is stopping"));
      } catch (RuntimeException e) {
        LOG.warn("{} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
        Exchanges.json(ex, 500, Map.of("error", "internal error: " + e));
      }
    }
  }

  private void route(final HttpExchange ex) throws IOException, ApiException, InterruptedException {
    final String method = ex.getRequestMethod();
    final String path = ex.getRequestURI().getPath();
    final boolean get = method.equals("GET");
    final boolean post = method.equals("POST");
    switch (path) {
      case "/api/series" -> requireThen(get, ex, () -> series.list(ex));
      case "/api/slice" -> requireThen(get, ex, () -> series.slice(ex));
      case "/api/prompts" ->
          requireThen(post, ex, () -> prompts.prompt(ex, Exchanges.jsonBody(ex, maxBodyBytes)));
      case "/api/mask" -> requireThen(get, ex, () -> prompts.mask(ex));
      case "/api/slice-mask" -> requireThen(get, ex, () -> series.sliceMask(ex));
      case "/api/volume-prompts" ->
          requireThen(post, ex, () -> volumes.prompt(ex, Exchanges.jsonBody(ex, maxBodyBytes)));
      case "/api/volume-mask" -> requireThen(get, ex, () -> volumes.result(ex));
      case "/api/corrections" ->
          requireThen(
              post, ex, () -> corrections.correct(ex, Exchanges.jsonBody(ex, maxBodyBytes)));
      case "/api/trainer" -> requireThen(get, ex, () -> trainer.state(ex));
      case "/api/trainer/rollback" ->
          requireThen(post, ex, () -> trainer.rollback(ex, Exchanges.jsonBody(ex, maxBodyBytes)));
      case "/api/export" -> requireThen(get, ex, () -> export.export(ex));
      case "/api/seg" -> requireThen(get, ex, () -> seg.download(ex));
      case "/api/seg/store" ->
          requireThen(post, ex, () -> seg.store(ex, Exchanges.jsonBody(ex, maxBodyBytes)));
      case "/" -> asset(ex, "index.html");
      default -> {
        if (get && path.matches("/[a-z]+\\.(js|css|html)")) {
          asset(ex, path.substring(1));
        } else {
          throw new ApiException(404, "no such page or API: " + path);
        }
      }
    }
  }

  /** A handler that may refuse the request or wait. */
  @FunctionalInterface
  private interface Action {
    void run() throws IOException, ApiException, InterruptedException;
  }

  private static void requireThen(final boolean allowed, final HttpExchange ex, final Action a)
      throws IOException, ApiException, InterruptedException {
    if (!allowed) {
      throw new ApiException(
          405, ex.getRequestMethod() + " is not allowed on " + ex.getRequestURI().getPath());
    }
    a.run();
  }

  private static void asset(final HttpExchange ex, final String name)
      throws IOException, ApiException {
    try (InputStream in = ViewerHttp.class.getResourceAsStream(STATIC + name)) {
      if (in == null) {
        throw new ApiException(404, "no such page: /" + name);
      }
      final String ext = name.substring(name.lastIndexOf('.') + 1);
      Exchanges.bytes(ex, 200, TYPES.get(ext), in.readAllBytes(), Map.of());
    }
  }

  /** Stops serving (a request in progress gets a second to finish). */
  @Override
  public void close() {
    server.stop(1);
    pool.shutdownNow();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
