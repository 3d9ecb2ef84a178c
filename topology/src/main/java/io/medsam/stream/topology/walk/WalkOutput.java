package io.medsam.stream.topology.walk;

import io.medsam.stream.avro.BoxPrompt;
import io.medsam.stream.avro.MaskStatus;
import io.medsam.stream.avro.SliceStep;
import io.medsam.stream.avro.VolumeMask;
import io.medsam.stream.avro.VolumePrompt;
import io.medsam.stream.topology.DeadLetters;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the walker sends: the step BoxPrompts (key sliceKey), one VolumeMask per walk (key
 * seriesUid; the one place a VolumeMask is built) and dead letters (component {@value #COMPONENT})
 * for input that cannot be walked.
 */
final class WalkOutput {

  /** The component named in the walker's dead letters. */
  static final String COMPONENT = "walker";

  private static final Logger LOG = LoggerFactory.getLogger(WalkOutput.class);

  private final ProcessorContext<String, SpecificRecord> context;

  WalkOutput(final ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
  }

  /** The sliceKey of slice {@code z} of the prompt's series and axis. */
  static String sliceKey(final VolumePrompt prompt, final int z) {
    return prompt.getSeriesUid() + "/" + prompt.getAxis() + "/" + z;
  }

  /** The id of the step prompt on slice z: unique per walk and slice. */
  static String stepPromptId(final VolumePrompt prompt, final int z) {
    return prompt.getPromptId() + "/" + z;
  }

  /** Sends the BoxPrompt of the state's step in flight. */
  void sendStep(final WalkState s, final long nowMs) {
    final VolumePrompt p = s.prompt();
    final String key = sliceKey(p, s.z());
    final BoxPrompt step =
        BoxPrompt.newBuilder()
            .setPromptId(s.awaitingPromptId())
            .setSliceKey(key)
            .setBox(s.stepBox())
            .setLabel(p.getLabel())
            .setRequestedAt(Instant.ofEpochMilli(nowMs))
            .setWalkId(p.getPromptId())
            .build();
    context.forward(new Record<>(key, step, nowMs));
  }

  /** Sends the walk's VolumeMask. */
  void finish(final WalkState s, final MaskStatus status, final String reason, final long nowMs) {
    final VolumePrompt p = s.prompt();
    final List<SliceStep> steps = s.steps();
    final Instant requested = p.getRequestedAt();
    final VolumeMask mask =
        VolumeMask.newBuilder()
            .setPromptId(p.getPromptId())
            .setSeriesUid(p.getSeriesUid())
            .setAxis(p.getAxis())
            .setStatus(status)
            .setReason(reason)
            .setLabel(p.getLabel())
            .setBox(p.getBox())
            .setZ0(p.getZ0())
            .setZ1(p.getZ1())
            .setSteps(steps)
            .setVisitedSlices(steps.stream().map(SliceStep::getIndex).toList())
            .setTimedOutSlices(
                steps.stream()
                    .filter(x -> x.getStatus() == MaskStatus.TIMEOUT)
                    .map(SliceStep::getIndex)
                    .toList())
            .setWalkMillis(Math.max(0L, nowMs - s.receivedAtMs()))
            .setLatencyMillis(
                requested == null ? 0.0 : Math.max(0L, nowMs - requested.toEpochMilli()))
            .setProducedAt(Instant.ofEpochMilli(nowMs))
            .build();
    LOG.info(
        "walk {} of {} ended {}: {} slices{}",
        p.getPromptId(),
        p.getSeriesUid(),
        status,
        steps.size(),
        reason == null ? "" : " (" + reason + ")");
    context.forward(new Record<>(p.getSeriesUid(), mask, nowMs));
  }

  /** Dead-letters a walk that cannot go on, with the VolumePrompt as the payload. */
  void deadLetter(final WalkState s, final String reason, final byte[] payload, final long nowMs) {
    final String key = s.prompt().getSeriesUid();
    context.forward(
        new Record<>(
            key,
            DeadLetters.of(
                VolumeWalkTopology.VOLUME_PROMPTS_TOPIC,
                s.sourcePartition(),
                s.sourceOffset(),
                key,
                COMPONENT,
                new WalkRejectedException(reason),
                payload),
            nowMs));
  }

  /** Dead-letters an input record that cannot be used, payload as received. */
  void deadLetter(
      final RecordMetadata meta, final Record<String, byte[]> record, final Exception cause) {
    LOG.warn(
        "dead letter from {}-{}@{} (key {}): {}",
        meta.topic(),
        meta.partition(),
        meta.offset(),
        record.key(),
        cause.getMessage());
    context.forward(
        new Record<>(
            record.key(),
            DeadLetters.of(meta, record, COMPONENT, cause),
            context.currentSystemTimeMs()));
  }
}
