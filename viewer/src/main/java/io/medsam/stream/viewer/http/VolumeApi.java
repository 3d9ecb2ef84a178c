package io.medsam.stream.viewer.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import io.medsam.stream.avro.SliceStep;
import io.medsam.stream.avro.VolumeMask;
import io.medsam.stream.client.PipelineClient;
import io.medsam.stream.client.PipelineTimeoutException;
import io.medsam.stream.imaging.preprocess.PixelBox;
import io.medsam.stream.viewer.state.SeriesCatalog;
import io.medsam.stream.viewer.state.StoredSlice;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;

/**
 * {@code POST /api/volume-prompts {seriesUid, axis, box, z0, z1, label?}}: a 3D box (the x/y box on
 * every slice z0..z1, all of them ingested) as a VolumePrompt; the decoder application walks it
 * (docs/architecture.md §8) and each step's mask lands on medsam.masks.v1, where the slice view
 * finds it. {@code GET /api/volume-mask?promptId=P}: the walk's VolumeMask, or {@code PENDING}.
 */
final class VolumeApi {

  private final SeriesCatalog catalog;
  private final PipelineClient client;
  private final Duration wait;
  private final Set<String> sent = Collections.synchronizedSet(new HashSet<>());

  VolumeApi(final SeriesCatalog catalog, final PipelineClient client, final Duration wait) {
    this.catalog = catalog;
    this.client = client;
    this.wait = wait;
  }

  void prompt(final HttpExchange ex, final JsonNode body) throws IOException, ApiException {
    final String uid = Exchanges.text(body, "seriesUid");
    final String axis = Exchanges.text(body, "axis");
    if (!List.of("axial", "coronal", "sagittal").contains(axis)) {
      throw new ApiException(400, "a 3D box needs a volume axis (axial, coronal, sagittal)");
    }
    final JsonNode z0n = body.get("z0");
    final JsonNode z1n = body.get("z1");
    if (z0n == null || z1n == null || !z0n.canConvertToInt() || !z1n.canConvertToInt()) {
      throw new ApiException(400, "'z0' and 'z1' must be slice indices");
    }
    final int z0 = z0n.asInt();
    final int z1 = z1n.asInt();
    if (z0 < 0 || z1 < z0) {
      throw new ApiException(400, "the slice range " + z0 + "-" + z1 + " is empty or negative");
    }
    final NavigableMap<Integer, StoredSlice> slices =
        catalog
            .series(uid)
            .map(s -> s.axes().get(axis))
            .orElseThrow(() -> new ApiException(400, "unknown series " + uid));
    if (slices == null) {
      throw new ApiException(400, "series " + uid + " has no " + axis + " slices");
    }
    final List<Integer> missing = new ArrayList<>();
    for (int z = z0; z <= z1; z++) {
      if (!slices.containsKey(z)) {
        missing.add(z);
      }
    }
    if (!missing.isEmpty()) {
      throw new ApiException(
          400,
          "slices "
              + (missing.size() > 10 ? missing.subList(0, 10) + "..." : missing)
              + " of "
              + axis
              + " were not ingested; nothing was sent");
    }
    final PixelBox box = Requests.box(body, slices.get(z0));
    final JsonNode label = body.get("label");
    final String id =
        client.sendVolume(
            uid, axis, box, z0, z1, label == null || !label.isTextual() ? null : label.asText());
    sent.add(id);
    Exchanges.json(ex, 200, Map.of("promptId", id, "slices", z1 - z0 + 1));
  }

  void result(final HttpExchange ex) throws IOException, ApiException, InterruptedException {
    final String id = Exchanges.required(Exchanges.query(ex), "promptId");
    if (!sent.contains(id)) {
      throw new ApiException(404, "unknown 3D prompt " + id + " (not sent by this viewer)");
    }
    final VolumeMask v;
    try {
      v = client.awaitVolume(id, wait);
    } catch (PipelineTimeoutException e) {
      Exchanges.json(ex, 200, Map.of("promptId", id, "status", "PENDING"));
      return;
    }
    sent.remove(id);
    final Map<String, Object> out = new LinkedHashMap<>();
    out.put("promptId", id);
    out.put("status", v.getStatus().name());
    out.put("reason", v.getReason());
    out.put("steps", v.getSteps().size());
    out.put("visited", v.getVisitedSlices());
    out.put("timedOut", v.getTimedOutSlices());
    out.put(
        "versions",
        v.getSteps().stream().map(SliceStep::getDecoderWeightsVersion).distinct().toList());
    Exchanges.json(ex, 200, out);
  }
}
