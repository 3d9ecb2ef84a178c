package io.medsam.stream.topology.decode;

import io.medsam.stream.avro.BoxPrompt;
import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.MaskStatus;
import java.time.Instant;

/** Builds the answers the topology gives on its own (TIMEOUT, INVALID_PROMPT, ERROR). */
final class MaskResults {

  private MaskResults() {}

  /**
   * An answer without a mask.
   *
   * @param prompt the prompt answered
   * @param status TIMEOUT, INVALID_PROMPT or ERROR
   * @param reason why
   * @param nowMs wall-clock time of the answer
   */
  static MaskResult withoutMask(
      final BoxPrompt prompt, final MaskStatus status, final String reason, final long nowMs) {
    final MaskResult r =
        MaskResult.newBuilder()
            .setPromptId(prompt.getPromptId())
            .setSliceKey(prompt.getSliceKey())
            .setStatus(status)
            .setReason(reason)
            .setLabel(prompt.getLabel())
            .setProducedAt(Instant.ofEpochMilli(nowMs))
            .build();
    return stamp(r, prompt, nowMs);
  }

  /**
   * Makes a decoder's result answer exactly this prompt and stamps producedAt and latency (prompt
   * requestedAt to now).
   */
  static MaskResult stamp(final MaskResult r, final BoxPrompt prompt, final long nowMs) {
    r.setPromptId(prompt.getPromptId());
    r.setSliceKey(prompt.getSliceKey());
    if (r.getLabel() == null) {
      r.setLabel(prompt.getLabel());
    }
    r.setProducedAt(Instant.ofEpochMilli(nowMs));
    final Instant requested = prompt.getRequestedAt();
    r.setLatencyMillis(requested == null ? 0.0 : Math.max(0L, nowMs - requested.toEpochMilli()));
    return r;
  }
}
