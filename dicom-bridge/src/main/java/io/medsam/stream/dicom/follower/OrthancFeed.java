package io.medsam.stream.dicom.follower;

import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.dicom.orthanc.Change;
import io.medsam.stream.dicom.orthanc.ChangePage;
import io.medsam.stream.dicom.orthanc.OrthancClient;
import io.medsam.stream.dicom.orthanc.OrthancException;
import io.medsam.stream.dicom.orthanc.SeriesInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One followed Orthanc's change feed and where the bridge stands in it: reads the page after the
 * position and turns its {@code StableSeries} changes into announcements. It sends nothing; the
 * follower commits a page and then {@link #advanceTo advances} the position. An Orthanc that fails
 * to answer is logged once per outage and left alone for {@link #RETRY}.
 */
final class OrthancFeed {

  /** Changes asked per request. */
  static final int PAGE = 100;

  /** How long an Orthanc that failed to answer is left alone. */
  static final Duration RETRY = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(OrthancFeed.class);

  /**
   * The announcements of one page.
   *
   * @param events the ScanEvents of its stable image series, in feed order
   * @param last the position after it
   * @param done whether the feed had nothing after it
   * @param notImages stable series not announced (non-image modalities)
   */
  record Page(List<ScanEvent> events, long last, boolean done, int notImages) {}

  private final String server;
  private final OrthancClient client;
  private long position;
  private Instant retryAt = Instant.EPOCH;
  private boolean failing;

  OrthancFeed(final String server, final OrthancClient client) {
    this.server = server;
    this.client = client;
  }

  String server() {
    return server;
  }

  OrthancClient client() {
    return client;
  }

  long position() {
    return position;
  }

  /** Sets the position once a page's transaction has committed (or from the stored one). */
  void advanceTo(final long last) {
    position = last;
  }

  /** Whether the feed may be asked now (not within {@link #RETRY} of a failure). */
  boolean due(final Instant now) {
    return !now.isBefore(retryAt);
  }

  /**
   * The page after the position; empty when nothing new came, or when Orthanc did not answer
   * (logged, counted through {@code onError}, retried after {@link #RETRY}).
   */
  Optional<Page> next(final Instant now, final Runnable onError) {
    final List<ScanEvent> events = new ArrayList<>();
    int notImages = 0;
    long last = position;
    final ChangePage page;
    try {
      page = client.changes(position, PAGE);
      for (final Change c : page.changes()) {
        if (c.seq() <= position) {
          continue;
        }
        last = Math.max(last, c.seq());
        if (!c.isStableSeries() || !"Series".equals(c.resourceType())) {
          continue;
        }
        final Optional<SeriesInfo> series = series(c);
        final Optional<ScanEvent> event =
            series.flatMap(s -> SeriesAnnouncements.of(server, c.seq(), s, now));
        if (event.isPresent()) {
          events.add(event.get());
        } else if (series.isPresent()) {
          notImages++;
          LOG.info(
              "Orthanc {} series {} (Modality {}) holds no image to segment: not announced",
              server,
              c.id(),
              series.get().modality());
        }
      }
    } catch (final OrthancException e) {
      onError.run();
      if (!failing) {
        LOG.warn("Orthanc {}: {}; retrying every {} s", server, e.getMessage(), RETRY.toSeconds());
      }
      failing = true;
      retryAt = now.plus(RETRY);
      return Optional.empty();
    }
    if (failing) {
      LOG.info("Orthanc {} answers again", server);
      failing = false;
    }
    last = Math.max(last, page.changes().isEmpty() ? position : page.last());
    return last == position
        ? Optional.empty()
        : Optional.of(new Page(events, last, page.done(), notImages));
  }

  /** The series of a StableSeries change; empty when it was deleted before we asked. */
  private Optional<SeriesInfo> series(final Change c) throws OrthancException {
    try {
      return Optional.of(client.series(c.id()));
    } catch (final OrthancException e) {
      if (e.status() == 404) {
        LOG.info("Orthanc {} series {} was deleted before it was announced", server, c.id());
        return Optional.empty();
      }
      throw e;
    }
  }
}
