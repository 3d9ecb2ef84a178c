package io.medsam.stream.topology.decode;

import io.medsam.stream.avro.BoxPrompt;
import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.MaskStatus;
import io.medsam.stream.records.Masks;
import java.time.Instant;

/**
 * The one place that builds a {@link MaskResult}: every answer names its prompt (id, slice key,
 * label, and the walk it is a step of, if any) and carries producedAt and latencyMillis (prompt
 * requestedAt to producedAt), set once.
 */
final class MaskResults {

  private MaskResults() {}

  /**
   * The answer to a request the decoder handled: OK with the mask (COCO RLE, bbox, area), or ERROR
   * with the decoder's reason.
   *
   * @param request the prompt and the embedding it was decoded with
   * @param outcome the decoder's outcome for it
   * @param nowMs wall-clock time of the answer
   */
  static MaskResult of(final DecodeRequest request, final MaskOutcome outcome, final long nowMs) {
    final MaskResult.Builder b;
    if (outcome instanceof MaskOutcome.Decoded d) {
      b =
          base(request.prompt(), MaskStatus.OK, nowMs)
              .setMask(Masks.toRleMask(d.mask()))
              .setBbox(Masks.cocoBbox(d.mask()))
              .setArea(d.mask().area())
              .setScore(d.score())
              .setDecodeMillis(d.decodeMillis());
    } else {
      b =
          base(request.prompt(), MaskStatus.ERROR, nowMs)
              .setReason(((MaskOutcome.Failed) outcome).reason());
    }
    return b.setEncoderModelId(request.embedding().getEncoderModelId())
        .setDecoderWeightsVersion(outcome.decoderWeightsVersion())
        .build();
  }

  /**
   * An answer the topology gives on its own, without a mask.
   *
   * @param prompt the prompt answered
   * @param status TIMEOUT or INVALID_PROMPT
   * @param reason why
   * @param nowMs wall-clock time of the answer
   */
  static MaskResult withoutMask(
      final BoxPrompt prompt, final MaskStatus status, final String reason, final long nowMs) {
    return base(prompt, status, nowMs).setReason(reason).build();
  }

  private static MaskResult.Builder base(
      final BoxPrompt prompt, final MaskStatus status, final long nowMs) {
    final Instant requested = prompt.getRequestedAt();
    return MaskResult.newBuilder()
        .setPromptId(prompt.getPromptId())
        .setSliceKey(prompt.getSliceKey())
        .setStatus(status)
        .setLabel(prompt.getLabel())
        .setWalkId(prompt.getWalkId())
        .setProducedAt(Instant.ofEpochMilli(nowMs))
        .setLatencyMillis(requested == null ? 0.0 : Math.max(0L, nowMs - requested.toEpochMilli()));
  }
}
