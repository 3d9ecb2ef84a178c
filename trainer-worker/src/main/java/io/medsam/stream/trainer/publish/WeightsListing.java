package io.medsam.stream.trainer.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.medsam.stream.avro.DecoderWeights;

/**
 * One JSON object per record of the weights history (published versions, re-publications and the
 * gate's rejected candidates), as {@code medsam weights list} prints them.
 */
public final class WeightsListing {

  private static final ObjectMapper JSON = new ObjectMapper();

  private WeightsListing() {}

  /** The summary of one record (no tensors). */
  public static String line(final DecoderWeights w) {
    final ObjectNode o = JSON.createObjectNode();
    o.put("model", w.getModelId());
    o.put("version", w.getVersion());
    o.put("parent", w.getParentVersion());
    o.put("created", w.getCreatedAt().toString());
    o.put("holdoutDscBefore", w.getHoldoutDscBefore());
    o.put("holdoutDscAfter", w.getHoldoutDscAfter());
    o.put("trainPairs", w.getTrainPairs());
    o.put("holdoutPairs", w.getHoldoutPairs());
    o.put(
        "pairs",
        w.getTrainPairs() + w.getHoldoutPairs() + w.getValidationPairs() + w.getExcludedPairs());
    o.put("tensors", w.getTensors().size());
    o.put("rollbackOf", w.getRollbackOf());
    o.put("verdict", w.getVerdict().name());
    o.put("reason", w.getVerdictReason());
    o.put("validationPairs", w.getValidationPairs());
    o.put("excludedPairs", w.getExcludedPairs());
    o.put("signedBy", w.getSignature() == null ? null : w.getSignature().getKeyId());
    final ArrayNode targets = o.putArray("heldOutTargets");
    w.getHeldOutTargets()
        .forEach(
            t ->
                targets
                    .addObject()
                    .put("target", t.getTarget())
                    .put("pairs", t.getPairs())
                    .put("dscBefore", t.getDscBefore())
                    .put("dscAfter", t.getDscAfter()));
    return o.toString();
  }
}
