package io.medsam.stream.viewer.http;

import com.sun.net.httpserver.HttpExchange;
import io.medsam.stream.client.PipelineClient;
import io.medsam.stream.imaging.ImageFormatException;
import io.medsam.stream.records.Masks;
import io.medsam.stream.viewer.ModelView;
import io.medsam.stream.viewer.seg.SegSources;
import io.medsam.stream.viewer.state.SeriesCatalog;
import io.medsam.stream.viewer.state.SliceMasks;
import io.medsam.stream.viewer.state.StoredSlice;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /api/series}: every series with, per axis, the slices ingested, their range and size,
 * and how many are embedded. {@code GET /api/slice?key=K&view=ingested|model}: a slice's 8-bit
 * pixels (row-major, channels interleaved; size in X-Height, X-Width, X-Channels) as ingested or as
 * the model sees it. Each series says whether its masks have a DICOM SEG and whether it can be
 * stored back into the Orthanc the series came from, with the reason where not.
 */
final class SeriesApi {

  private final SeriesCatalog catalog;
  private final SliceMasks masks;
  private final PipelineClient client;
  private final Optional<ModelView> modelView;
  private final SegSources segSources;

  SeriesApi(
      final SeriesCatalog catalog,
      final SliceMasks masks,
      final PipelineClient client,
      final Optional<ModelView> modelView,
      final SegSources segSources) {
    this.catalog = catalog;
    this.masks = masks;
    this.client = client;
    this.modelView = modelView;
    this.segSources = segSources;
  }

  void list(final HttpExchange ex) throws IOException {
    final Set<String> embedded = client.embeddedSliceKeys();
    final List<Map<String, Object>> out = new ArrayList<>();
    for (final SeriesCatalog.Series s : catalog.series()) {
      final Map<String, Object> series = new LinkedHashMap<>();
      series.put("seriesUid", s.seriesUid());
      s.scan()
          .ifPresent(
              scan -> {
                series.put("modality", scan.getModality());
                series.put("source", scan.getSourceUri());
                series.put("requestedAxes", scan.getAxes());
              });
      series.put("seg", segOffer(s));
      final List<Map<String, Object>> axes = new ArrayList<>();
      for (final Map.Entry<String, NavigableMap<Integer, StoredSlice>> a : s.axes().entrySet()) {
        final NavigableMap<Integer, StoredSlice> slices = a.getValue();
        final StoredSlice first = slices.firstEntry().getValue();
        final Map<String, Object> axis = new LinkedHashMap<>();
        axis.put("axis", a.getKey());
        axis.put("slices", slices.size());
        axis.put(
            "embedded",
            slices.values().stream().filter(x -> embedded.contains(x.sliceKey())).count());
        axis.put("first", slices.firstKey());
        axis.put("last", slices.lastKey());
        axis.put("indices", slices.keySet());
        axis.put("height", first.height());
        axis.put("width", first.width());
        axes.add(axis);
      }
      series.put("axes", axes);
      out.add(series);
    }
    final Map<String, Object> body = new LinkedHashMap<>();
    body.put("series", out);
    body.put(
        "modelView",
        modelView
            .map(v -> v.bundleId() + " (" + v.size() + " px, " + v.rule().manifestName() + ")")
            .orElse(null));
    Exchanges.json(ex, 200, body);
  }

  /**
   * Whether the page offers the DICOM SEG download and the store into Orthanc, each with the reason
   * when it does not.
   */
  private Map<String, Object> segOffer(final SeriesCatalog.Series s) {
    final Map<String, Object> offer = new LinkedHashMap<>();
    final Optional<String> noSeg =
        s.scan().isEmpty()
            ? Optional.of("its ScanEvent (the source) was not seen")
            : segSources.whyNoSeg(s.scan().get());
    final Optional<String> noStore =
        noSeg.isPresent() ? noSeg : segSources.whyNoStore(s.scan().get());
    offer.put("download", noSeg.isEmpty());
    offer.put("store", noStore.isEmpty());
    noSeg.ifPresent(r -> offer.put("downloadReason", r));
    noStore.ifPresent(r -> offer.put("storeReason", r));
    s.scan()
        .map(e -> e.getOrthanc())
        .ifPresent(o -> offer.put("orthanc", o.getServer() + "/series/" + o.getSeriesId()));
    return offer;
  }

  void slice(final HttpExchange ex) throws IOException, ApiException {
    final Map<String, String> q = Exchanges.query(ex);
    final String key = Exchanges.required(q, "key");
    final StoredSlice s =
        catalog
            .slice(key)
            .orElseThrow(() -> new ApiException(404, "unknown slice " + key + ": not ingested"));
    final String view = q.getOrDefault("view", "ingested");
    final boolean embeddedNow = client.hasEmbedding(key);
    if (view.equals("model")) {
      final ModelView m =
          modelView.orElseThrow(
              () ->
                  new ApiException(404, "this viewer runs without a model bundle: no model view"));
      Exchanges.bytes(
          ex,
          200,
          "application/octet-stream",
          m.render(s.image()),
          Map.of(
              "X-Height", String.valueOf(m.size()),
              "X-Width", String.valueOf(m.size()),
              "X-Channels", "1",
              "X-Embedded", String.valueOf(embeddedNow)));
    } else if (view.equals("ingested")) {
      Exchanges.bytes(
          ex,
          200,
          "application/octet-stream",
          s.image().pixels(),
          Map.of(
              "X-Height", String.valueOf(s.height()),
              "X-Width", String.valueOf(s.width()),
              "X-Channels", String.valueOf(s.image().channels()),
              "X-Embedded", String.valueOf(embeddedNow)));
    } else {
      throw new ApiException(400, "view must be 'ingested' or 'model', not '" + view + "'");
    }
  }

  void sliceMask(final HttpExchange ex) throws IOException, ApiException {
    final String key = Exchanges.required(Exchanges.query(ex), "key");
    final Map<String, Object> out = new LinkedHashMap<>();
    out.put("sliceKey", key);
    final Optional<SliceMasks.Latest> latest = masks.latest(key);
    if (latest.isPresent()) {
      try {
        final var mask = Masks.toBinaryMask(latest.get().rle(), key);
        out.put("source", latest.get().source());
        out.put("decoderWeightsVersion", latest.get().decoderWeightsVersion());
        out.put("height", mask.height());
        out.put("width", mask.width());
        out.put("mask", Requests.encode(mask));
      } catch (ImageFormatException e) {
        throw new ApiException(502, "malformed mask of " + key + ": " + e.getMessage());
      }
    }
    Exchanges.json(ex, 200, out);
  }
}
