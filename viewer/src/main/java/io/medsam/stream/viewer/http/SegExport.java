package io.medsam.stream.viewer.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.dicom.orthanc.OrthancException;
import io.medsam.stream.dicom.seg.Segment;
import io.medsam.stream.dicom.seg.SegmentationSource;
import io.medsam.stream.imaging.ImageFormatException;
import io.medsam.stream.imaging.SliceAxis;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.records.Masks;
import io.medsam.stream.viewer.seg.SegSources;
import io.medsam.stream.viewer.state.SeriesCatalog;
import io.medsam.stream.viewer.state.SliceMasks;
import io.medsam.stream.viewer.state.StoredSlice;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code GET /api/seg?series=S&axis=A}: the masks of a series along one axis as one DICOM SEG
 * object, the slices' masks chosen as the NIfTI download chooses them (each slice's latest
 * correction, else its latest model mask), one segment per label those masks carry. {@code POST
 * /api/seg/store {seriesUid, axis}}: the same SEG, stored into the Orthanc the series came from;
 * answers Orthanc's id of the new instance. Only a series with a DICOM source has a SEG ({@link
 * SegSources}); any other gets 409 with the reason.
 */
final class SegExport {

  /** SegmentLabel of masks whose prompt or correction named no target. */
  static final String UNLABELLED = "unlabelled";

  private final SeriesCatalog catalog;
  private final SliceMasks masks;
  private final SegSources sources;
  private final Clock clock;

  SegExport(
      final SeriesCatalog catalog,
      final SliceMasks masks,
      final SegSources sources,
      final Clock clock) {
    this.catalog = catalog;
    this.masks = masks;
    this.sources = sources;
    this.clock = clock;
  }

  /** A SEG made, with what it holds. */
  private record Built(ScanEvent scan, byte[] part10, List<String> labels, int slicesWithMask) {}

  void download(final HttpExchange ex) throws IOException, ApiException {
    final Map<String, String> q = Exchanges.query(ex);
    final String uid = Exchanges.required(q, "series");
    final String axis = q.getOrDefault("axis", "axial");
    final Built seg = build(uid, axis);
    Exchanges.bytes(
        ex,
        200,
        "application/dicom",
        seg.part10(),
        Map.of(
            "Content-Disposition",
            "attachment; filename=\"" + safe(uid) + "-" + axis + "-seg.dcm\"",
            "X-Slices-With-Mask",
            String.valueOf(seg.slicesWithMask()),
            "X-Segments",
            String.join(",", seg.labels())));
  }

  void store(final HttpExchange ex, final JsonNode body) throws IOException, ApiException {
    final String uid = Exchanges.text(body, "seriesUid");
    final JsonNode axisNode = body.get("axis");
    final String axis = axisNode != null && axisNode.isTextual() ? axisNode.asText() : "axial";
    final ScanEvent scan = scanOf(uid);
    final Optional<String> why = sources.whyNoStore(scan);
    if (why.isPresent()) {
      throw new ApiException(409, "no SEG to store for " + uid + ": " + why.get());
    }
    final Built seg = build(uid, axis);
    final SegSources.StoredSeg stored;
    try {
      stored = sources.store(scan, seg.part10());
    } catch (OrthancException e) {
      throw new ApiException(502, "Orthanc did not store the SEG: " + e.getMessage());
    }
    final Map<String, Object> out = new LinkedHashMap<>();
    out.put("server", stored.server());
    out.put("instanceId", stored.instanceId());
    out.put("segments", seg.labels());
    out.put("slicesWithMask", seg.slicesWithMask());
    Exchanges.json(ex, 200, out);
  }

  private ScanEvent scanOf(final String uid) throws ApiException {
    final SeriesCatalog.Series series =
        catalog.series(uid).orElseThrow(() -> new ApiException(404, "unknown series " + uid));
    return series
        .scan()
        .orElseThrow(
            () ->
                new ApiException(
                    409, "no SEG for " + uid + ": its ScanEvent (the source) was not seen"));
  }

  private Built build(final String uid, final String axisName) throws IOException, ApiException {
    final ScanEvent scan = scanOf(uid);
    final Optional<String> why = sources.whyNoSeg(scan);
    if (why.isPresent()) {
      throw new ApiException(409, "no DICOM SEG for " + uid + ": " + why.get());
    }
    final SliceAxis axis;
    try {
      axis = SliceAxis.fromWireName(axisName);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, e.getMessage());
    }
    final NavigableMap<Integer, StoredSlice> slices =
        catalog.series(uid).orElseThrow().axes().get(axisName);
    if (slices == null || slices.isEmpty()) {
      throw new ApiException(404, "series " + uid + " has no " + axisName + " slices");
    }
    final Map<String, Map<Integer, BinaryMask>> byLabel = new TreeMap<>();
    final TreeSet<String> versions = new TreeSet<>();
    boolean corrected = false;
    int withMask = 0;
    for (final StoredSlice s : slices.values()) {
      final Optional<SliceMasks.Latest> latest = masks.latest(s.sliceKey());
      if (latest.isEmpty()) {
        continue;
      }
      final SliceMasks.Latest m = latest.get();
      try {
        byLabel
            .computeIfAbsent(Segment.labelOf(m.label(), UNLABELLED), k -> new TreeMap<>())
            .put(s.index(), Masks.toBinaryMask(m.rle(), s.sliceKey()));
      } catch (ImageFormatException e) {
        throw new ApiException(502, "malformed mask of " + s.sliceKey() + ": " + e.getMessage());
      }
      withMask++;
      if (m.decoderWeightsVersion() != null) {
        versions.add(m.decoderWeightsVersion());
      }
      corrected |= m.source().equals("correction");
    }
    if (withMask == 0) {
      throw new ApiException(404, "no masks yet on the " + axisName + " slices of " + uid);
    }
    final SegmentationSource source = source(scan);
    final List<Segment> segments = new ArrayList<>();
    try {
      for (final var e : byLabel.entrySet()) {
        segments.add(source.segment(e.getKey(), axis, e.getValue()));
      }
    } catch (IllegalArgumentException e) {
      throw new ApiException(409, "the masks do not fit the DICOM source: " + e.getMessage());
    }
    final String algorithm =
        "MedSAM decoder "
            + (versions.isEmpty() ? "-" : String.join(",", versions))
            + (corrected ? " + corrections" : "");
    final byte[] part10 =
        source.write(segments, "MedSAM masks (" + axisName + ")", algorithm, version(), clock);
    return new Built(scan, part10, List.copyOf(byLabel.keySet()), withMask);
  }

  private SegmentationSource source(final ScanEvent scan) throws ApiException {
    try {
      return sources.source(scan);
    } catch (OrthancException e) {
      throw new ApiException(502, "Orthanc did not give the series: " + e.getMessage());
    } catch (IOException | IllegalArgumentException e) {
      throw new ApiException(409, "the DICOM source cannot be referenced: " + e.getMessage());
    }
  }

  private static String version() {
    final String v = SegExport.class.getPackage().getImplementationVersion();
    return v == null ? "medsam-viewer" : "medsam-viewer " + v;
  }

  private static String safe(final String uid) {
    return uid.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
