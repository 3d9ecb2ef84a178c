package io.medsam.stream.viewer.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import io.medsam.stream.avro.Correction;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.imaging.preprocess.PixelBox;
import io.medsam.stream.records.Boxes;
import io.medsam.stream.records.Masks;
import io.medsam.stream.topology.Topics;
import io.medsam.stream.viewer.state.SeriesCatalog;
import io.medsam.stream.viewer.state.StoredSlice;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * {@code POST /api/corrections {sliceKey, box, mask, label?, annotator?}}: the clinician's edited
 * mask (one byte per pixel, base64) and the box it was prompted with, checked and published as a
 * Correction on medsam.corrections.v1; answered once the broker has it, with its offset.
 */
final class CorrectionApi {

  private final SeriesCatalog catalog;
  private final Producer<byte[], byte[]> producer;
  private final AvroCodec<Correction> codec = AvroCodec.of(Correction.class);

  CorrectionApi(final SeriesCatalog catalog, final Producer<byte[], byte[]> producer) {
    this.catalog = catalog;
    this.producer = producer;
  }

  void correct(final HttpExchange ex, final JsonNode body) throws IOException, ApiException {
    final String sliceKey = Exchanges.text(body, "sliceKey");
    final StoredSlice slice = Requests.knownSlice(catalog, sliceKey);
    final PixelBox box = Requests.box(body, slice);
    final BinaryMask mask = Requests.mask(body, slice);
    final Correction c =
        Correction.newBuilder()
            .setCorrectionId(UUID.randomUUID().toString())
            .setSliceKey(sliceKey)
            .setLabel(optional(body, "label", "viewer"))
            .setAnnotator(optional(body, "annotator", "viewer"))
            .setMask(Masks.toRleMask(mask))
            .setBox(Boxes.toBox(box))
            .setCreatedAt(Instant.now())
            .build();
    final RecordMetadata m;
    try {
      m =
          producer
              .send(
                  new ProducerRecord<>(
                      Topics.CORRECTIONS,
                      sliceKey.getBytes(StandardCharsets.UTF_8),
                      codec.encode(c)))
              .get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "interrupted while publishing the correction");
    } catch (ExecutionException | TimeoutException e) {
      throw new ApiException(503, "the broker did not take the correction: " + e);
    }
    final Map<String, Object> out = new LinkedHashMap<>();
    out.put("correctionId", c.getCorrectionId());
    out.put("sliceKey", sliceKey);
    out.put("area", mask.area());
    out.put("partition", m.partition());
    out.put("offset", m.offset());
    Exchanges.json(ex, 200, out);
  }

  private static String optional(final JsonNode body, final String field, final String dflt) {
    final JsonNode v = body.get(field);
    return v == null || !v.isTextual() || v.asText().isBlank() ? dflt : v.asText();
  }
}
