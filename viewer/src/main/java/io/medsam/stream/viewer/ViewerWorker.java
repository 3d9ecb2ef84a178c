package io.medsam.stream.viewer;

import io.medsam.stream.client.PipelineClient;
import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.topology.worker.StateTracker;
import io.medsam.stream.topology.worker.Worker;
import io.medsam.stream.topology.worker.WorkerStatus;
import io.medsam.stream.viewer.http.ViewerHttp;
import io.medsam.stream.viewer.state.SeriesCatalog;
import io.medsam.stream.viewer.state.SliceMasks;
import io.medsam.stream.viewer.state.TrainerBoard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The viewer as a worker of {@code medsam run}: on {@link #start()} it connects the pipeline
 * client, starts reading the topics it shows and serves the page; it is RUNNING once those topics
 * are read up to where they ended at start, and {@link #close()} stops the server and every reader.
 */
public final class ViewerWorker implements Worker {

  private static final Duration CATCH_UP = Duration.ofMinutes(2);

  private final ViewerConfig config;
  private final StateTracker tracker = new StateTracker(Clock.systemUTC());
  private final AtomicBoolean closed = new AtomicBoolean();
  private PipelineClient client;
  private SeriesCatalog catalog;
  private SliceMasks masks;
  private TrainerBoard board;
  private KafkaProducer<byte[], byte[]> producer;
  private ViewerHttp http;
  private Thread catchUp;

  /**
   * @param config where to listen and what to offer
   */
  public ViewerWorker(final ViewerConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return "medsam-viewer";
  }

  @Override
  public WorkerStatus status() {
    return tracker;
  }

  /**
   * Connects, binds the address and serves.
   *
   * @throws UncheckedIOException when the address cannot be bound
   */
  @Override
  public void start() {
    if (!tracker.starting()) {
      throw new IllegalStateException(name() + " was started or closed before; it runs once");
    }
    final String servers = config.bootstrapServers();
    client = PipelineClient.connect(servers, Optional.empty());
    catalog = new SeriesCatalog(servers);
    masks = new SliceMasks(servers);
    board = new TrainerBoard(servers);
    producer =
        new KafkaProducer<>(
            ClientConfigs.producer(servers), new ByteArraySerializer(), new ByteArraySerializer());
    try {
      http = new ViewerHttp(config, client, catalog, masks, board, producer);
    } catch (IOException e) {
      tracker.fail(e);
      close();
      throw new UncheckedIOException(
          "viewer cannot listen on " + config.host() + ":" + config.port(), e);
    }
    http.start();
    catchUp = new Thread(this::awaitCaughtUp, "medsam-viewer-catch-up");
    catchUp.setDaemon(true);
    catchUp.start();
  }

  private void awaitCaughtUp() {
    try {
      if (catalog.awaitCaughtUp(CATCH_UP)
          && masks.awaitCaughtUp(CATCH_UP)
          && board.awaitCaughtUp(CATCH_UP)) {
        tracker.running();
      } else {
        tracker.fail(
            new IllegalStateException("the viewer's topics were not read within " + CATCH_UP));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * @return the page's address, e.g. {@code http://127.0.0.1:8080/}; empty before {@link #start()}
   */
  public Optional<String> url() {
    return Optional.ofNullable(http).map(ViewerHttp::url);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    tracker.stopping();
    if (catchUp != null) {
      catchUp.interrupt();
    }
    if (http != null) {
      http.close();
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
    for (final AutoCloseable c : new AutoCloseable[] {board, masks, catalog, client}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // closing: nothing left to do with it
      }
    }
    tracker.stopped();
  }
}
