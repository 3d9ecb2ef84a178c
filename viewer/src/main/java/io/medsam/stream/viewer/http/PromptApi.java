package io.medsam.stream.viewer.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.client.PipelineClient;
import io.medsam.stream.client.PipelineTimeoutException;
import io.medsam.stream.client.ReceivedMask;
import io.medsam.stream.client.SentPrompt;
import io.medsam.stream.imaging.ImageFormatException;
import io.medsam.stream.imaging.preprocess.PixelBox;
import io.medsam.stream.viewer.state.SeriesCatalog;
import io.medsam.stream.viewer.state.StoredSlice;
import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /api/prompts {sliceKey, box, label?}}: a BoxPrompt through Kafka, answered at once
 * with its id and whether the slice's embedding is there yet. {@code GET /api/mask?promptId=P}:
 * waits (at most the configured mask wait) for the committed MaskResult and answers it, or {@code
 * PENDING} (then the page asks again). Only committed masks are shown: the client reads
 * medsam.masks.v1 read_committed, so no preview can later disappear.
 */
final class PromptApi {

  private static final int REMEMBERED = 10_000;

  private final SeriesCatalog catalog;
  private final PipelineClient client;
  private final Duration maskWait;
  private final Map<String, SentPrompt> inFlight =
      Collections.synchronizedMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(final Map.Entry<String, SentPrompt> e) {
              return size() > REMEMBERED;
            }
          });

  PromptApi(final SeriesCatalog catalog, final PipelineClient client, final Duration maskWait) {
    this.catalog = catalog;
    this.client = client;
    this.maskWait = maskWait;
  }

  void prompt(final HttpExchange ex, final JsonNode body) throws IOException, ApiException {
    final String sliceKey = Exchanges.text(body, "sliceKey");
    final StoredSlice slice = Requests.knownSlice(catalog, sliceKey);
    final PixelBox box = Requests.box(body, slice);
    final JsonNode label = body.get("label");
    final SentPrompt sent =
        client.send(sliceKey, box, label == null || !label.isTextual() ? null : label.asText());
    client.flush();
    inFlight.put(sent.promptId(), sent);
    final Map<String, Object> out = new LinkedHashMap<>();
    out.put("promptId", sent.promptId());
    out.put("sliceKey", sliceKey);
    out.put("box", new double[] {box.x0(), box.y0(), box.x1(), box.y1()});
    out.put("embedded", client.hasEmbedding(sliceKey));
    Exchanges.json(ex, 200, out);
  }

  void mask(final HttpExchange ex) throws IOException, ApiException, InterruptedException {
    final String id = Exchanges.required(Exchanges.query(ex), "promptId");
    final SentPrompt sent = inFlight.get(id);
    if (sent == null) {
      throw new ApiException(404, "unknown prompt " + id + " (not sent by this viewer)");
    }
    final Map<String, Object> out = new LinkedHashMap<>();
    out.put("promptId", id);
    out.put("sliceKey", sent.sliceKey());
    final ReceivedMask received;
    try {
      received = client.await(sent, maskWait);
    } catch (PipelineTimeoutException e) {
      out.put("status", "PENDING");
      out.put("embedded", client.hasEmbedding(sent.sliceKey()));
      Exchanges.json(ex, 200, out);
      return;
    }
    inFlight.remove(id);
    final MaskResult r = received.result();
    out.put("status", r.getStatus().name());
    out.put("reason", r.getReason());
    out.put("score", r.getScore());
    out.put("decoderWeightsVersion", r.getDecoderWeightsVersion());
    out.put("encoderModelId", r.getEncoderModelId());
    out.put("latencyMillis", r.getLatencyMillis());
    out.put("decodeMillis", r.getDecodeMillis());
    out.put("area", r.getArea());
    if (received.ok()) {
      try {
        final var mask = received.mask();
        out.put("height", mask.height());
        out.put("width", mask.width());
        out.put("mask", Requests.encode(mask));
      } catch (ImageFormatException e) {
        throw new ApiException(502, "the decoder's mask is malformed: " + e.getMessage());
      }
    }
    Exchanges.json(ex, 200, out);
  }
}
