package io.medsam.stream.topology.walk;

import io.medsam.stream.avro.Box;
import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.MaskStatus;
import io.medsam.stream.avro.SliceStep;
import io.medsam.stream.avro.VolumePrompt;
import io.medsam.stream.avro.serde.AvroCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The walker (one instance per task; VolumePrompts and walk steps are both keyed by series): starts
 * a walk for each new VolumePrompt by sending the middle slice's BoxPrompt, and on each step's
 * MaskResult records the slice and sends the next step (rules in {@link WalkRules}) or, at the end,
 * the VolumeMask. The walk store is changelogged and every step is one exactly-once transaction
 * (input offset, store update, next prompt), so a restart resumes the walk at the step in flight:
 * no slice repeated, none skipped. A result that is not the one the walk awaits (a duplicate, a
 * walk already finished) changes nothing.
 */
final class WalkProcessor implements Processor<String, byte[], String, SpecificRecord> {

  private static final Logger LOG = LoggerFactory.getLogger(WalkProcessor.class);

  private final VolumeWalkConfig config;
  private final AvroCodec<VolumePrompt> promptCodec = AvroCodec.of(VolumePrompt.class);
  private final AvroCodec<MaskResult> resultCodec = AvroCodec.of(MaskResult.class);

  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, WalkState> walks;
  private WalkOutput output;

  WalkProcessor(final VolumeWalkConfig config) {
    this.config = config;
  }

  @Override
  public void init(final ProcessorContext<String, SpecificRecord> ctx) {
    this.context = ctx;
    this.walks = ctx.getStateStore(VolumeWalkTopology.WALK_STORE);
    this.output = new WalkOutput(ctx);
    ctx.schedule(config.purgeInterval(), PunctuationType.WALL_CLOCK_TIME, this::purgeFinished);
  }

  @Override
  public void process(final Record<String, byte[]> record) {
    final RecordMetadata meta = context.recordMetadata().orElseThrow();
    if (VolumeWalkTopology.VOLUME_PROMPTS_TOPIC.equals(meta.topic())) {
      onVolumePrompt(record, meta);
    } else {
      onStepResult(record, meta);
    }
  }

  private void onVolumePrompt(final Record<String, byte[]> record, final RecordMetadata meta) {
    final long now = context.currentSystemTimeMs();
    final VolumePrompt prompt;
    try {
      if (record.value() == null) {
        throw new SerializationException("volume prompt record has a null value");
      }
      prompt = promptCodec.decode(record.value(), meta.topic(), meta.partition(), meta.offset());
    } catch (final SerializationException e) {
      output.deadLetter(meta, record, e);
      return;
    }
    final WalkState walk =
        WalkState.start(
            prompt,
            now,
            meta.partition(),
            meta.offset(),
            WalkOutput.stepPromptId(prompt, WalkRules.middle(prompt.getZ0(), prompt.getZ1())));
    final Optional<String> problem = WalkChecks.problem(prompt, record.key());
    if (problem.isPresent()) {
      output.finish(walk, MaskStatus.INVALID_PROMPT, problem.get(), now);
      output.deadLetter(walk, problem.get(), record.value(), now);
      return;
    }
    if (walks.get(walk.storeKey()) != null) {
      LOG.info(
          "volume prompt {} of {} is a duplicate ({}-{}@{}); its walk is not started again",
          prompt.getPromptId(),
          prompt.getSeriesUid(),
          meta.topic(),
          meta.partition(),
          meta.offset());
      return;
    }
    walks.put(walk.storeKey(), walk);
    output.sendStep(walk, now);
    context.commit(); // one step at a time: do not wait for the commit interval
  }

  private void onStepResult(final Record<String, byte[]> record, final RecordMetadata meta) {
    final long now = context.currentSystemTimeMs();
    final MaskResult result;
    try {
      if (record.value() == null) {
        throw new SerializationException("mask result record has a null value");
      }
      result = resultCodec.decode(record.value(), meta.topic(), meta.partition(), meta.offset());
    } catch (final SerializationException e) {
      output.deadLetter(meta, record, e);
      return;
    }
    final WalkState walk = walks.get(WalkState.storeKey(record.key(), result.getWalkId()));
    if (walk == null || walk.finished() || !result.getPromptId().equals(walk.awaitingPromptId())) {
      LOG.info(
          "step result {} ({}) is not awaited by a walk of {}; ignored (duplicate or late)",
          result.getPromptId(),
          result.getStatus(),
          record.key());
      return;
    }
    final SliceStep step = step(walk, result, now);
    final Optional<Box> handed = WalkRules.boxFrom(result);
    if (walk.atMiddle() && result.getStatus() != MaskStatus.OK) {
      // the middle slice tells whether the series, slice and box exist at all
      final String reason =
          "middle slice "
              + result.getSliceKey()
              + " answered "
              + result.getStatus()
              + (result.getReason() == null ? "" : ": " + result.getReason())
              + (result.getStatus() == MaskStatus.TIMEOUT
                  ? " (unknown series, axis or slice index?)"
                  : "");
      final WalkState ended = walk.withStep(step, null);
      final MaskStatus status =
          result.getStatus() == MaskStatus.TIMEOUT ? MaskStatus.TIMEOUT : MaskStatus.INVALID_PROMPT;
      output.finish(ended, status, reason, now);
      output.deadLetter(ended, reason, promptCodec.encode(walk.prompt()), now);
      walks.put(walk.storeKey(), ended.finishedAt(now));
      context.commit();
      return;
    }
    final WalkState answered =
        walk.withStep(step, walk.atMiddle() ? handed.orElse(null) : walk.middleBox());
    final WalkState next = advance(answered, handed, now);
    if (next == null) {
      output.finish(answered, MaskStatus.OK, null, now);
      walks.put(walk.storeKey(), answered.finishedAt(now));
    } else {
      walks.put(walk.storeKey(), next);
      output.sendStep(next, now);
    }
    context.commit();
  }

  /** The state with the next step in flight, or null when the walk has visited z1 and z0. */
  private static WalkState advance(
      final WalkState walk, final Optional<Box> handed, final long now) {
    final VolumePrompt p = walk.prompt();
    final int z;
    final boolean down;
    final Optional<Box> box;
    if (!walk.goingDown() && walk.z() < p.getZ1()) {
      z = walk.z() + 1;
      down = false;
      box = handed;
    } else if (!walk.goingDown()) {
      z = WalkRules.middle(p.getZ0(), p.getZ1()) - 1;
      down = true;
      box = Optional.ofNullable(walk.middleBox());
      if (z < p.getZ0()) {
        return null;
      }
    } else if (walk.z() > p.getZ0()) {
      z = walk.z() - 1;
      down = true;
      box = handed;
    } else {
      return null;
    }
    return walk.next(
        down,
        z,
        WalkOutput.stepPromptId(p, z),
        box.orElse(p.getBox()),
        box.isPresent() ? WalkState.FROM_PREVIOUS_MASK : WalkState.FALLBACK,
        now);
  }

  private static SliceStep step(final WalkState walk, final MaskResult r, final long now) {
    return SliceStep.newBuilder()
        .setIndex(walk.z())
        .setSliceKey(r.getSliceKey())
        .setPromptId(r.getPromptId())
        .setStatus(r.getStatus())
        .setReason(r.getReason())
        .setBox(walk.stepBox())
        .setBoxSource(walk.stepBoxSource())
        .setMask(r.getMask())
        .setArea(r.getArea())
        .setScore(r.getScore())
        .setEncoderModelId(r.getEncoderModelId())
        .setDecoderWeightsVersion(r.getDecoderWeightsVersion())
        .setDecodeMillis(r.getDecodeMillis())
        .setStepMillis(Math.max(0L, now - walk.stepSentAtMs()))
        .build();
  }

  private void purgeFinished(final long nowMs) {
    final long limit = config.finishedRetention().toMillis();
    final List<String> old = new ArrayList<>();
    try (KeyValueIterator<String, WalkState> it = walks.all()) {
      while (it.hasNext()) {
        final KeyValue<String, WalkState> kv = it.next();
        if (kv.value.finished() && nowMs - kv.value.finishedAtMs() >= limit) {
          old.add(kv.key);
        }
      }
    }
    old.forEach(walks::delete);
  }
}
