package io.medsam.stream.topology.walk;

import io.medsam.stream.avro.Box;
import io.medsam.stream.avro.SliceStep;
import io.medsam.stream.avro.VolumePrompt;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where one walk stands, kept in the changelogged walk store under its series and prompt id. While
 * walking it awaits exactly one step result ({@code awaitingPromptId}); a finished walk keeps only
 * its identity (no steps) until the retention punctuation removes it, so a duplicate VolumePrompt
 * is recognised and not walked again.
 *
 * @param prompt the VolumePrompt
 * @param receivedAtMs wall-clock time the walker received it
 * @param sourcePartition partition of medsam.volume-prompts.v1 it came from (for dead letters)
 * @param sourceOffset offset it had there
 * @param goingDown false while walking from the middle up to z1, true from the middle down to z0
 * @param z the slice of the step in flight (the last one, once finished)
 * @param awaitingPromptId the step prompt whose MaskResult the walk waits for; null when finished
 * @param stepBox the box that step was prompted with
 * @param stepBoxSource why that box (SliceStep.boxSource)
 * @param stepSentAtMs when that step was sent
 * @param middleBox the box the middle slice's mask hands to the first step down; null: fall back
 * @param steps the steps answered so far, in order
 * @param finishedAtMs when the walk ended; -1 while walking
 */
record WalkState(
    VolumePrompt prompt,
    long receivedAtMs,
    int sourcePartition,
    long sourceOffset,
    boolean goingDown,
    int z,
    String awaitingPromptId,
    Box stepBox,
    String stepBoxSource,
    long stepSentAtMs,
    Box middleBox,
    List<SliceStep> steps,
    long finishedAtMs) {

  /** Box source of the middle slice: the 3D box itself. */
  static final String FROM_PROMPT = "prompt";

  /** Box source: the neighbour's mask box plus the margin. */
  static final String FROM_PREVIOUS_MASK = "previous-mask";

  /** Box source: the 3D box again, the neighbour's mask being empty or missing. */
  static final String FALLBACK = "fallback";

  WalkState {
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(stepBox, "stepBox");
    Objects.requireNonNull(stepBoxSource, "stepBoxSource");
    steps = List.copyOf(steps);
  }

  /** The state of a walk just started: the middle slice's step is in flight. */
  static WalkState start(
      final VolumePrompt prompt,
      final long nowMs,
      final int partition,
      final long offset,
      final String stepPromptId) {
    return new WalkState(
        prompt,
        nowMs,
        partition,
        offset,
        false,
        WalkRules.middle(prompt.getZ0(), prompt.getZ1()),
        stepPromptId,
        prompt.getBox(),
        FROM_PROMPT,
        nowMs,
        null,
        List.of(),
        -1L);
  }

  /** The store key: seriesUid, NUL, promptId. */
  static String storeKey(final String seriesUid, final String promptId) {
    return seriesUid + '\u0000' + promptId;
  }

  String storeKey() {
    return storeKey(prompt.getSeriesUid(), prompt.getPromptId());
  }

  boolean finished() {
    return finishedAtMs >= 0;
  }

  /** True while the step in flight is the middle slice's (the first). */
  boolean atMiddle() {
    return steps.isEmpty();
  }

  /** This state with one more answered step. */
  WalkState withStep(final SliceStep step, final Box middle) {
    final List<SliceStep> more = new ArrayList<>(steps);
    more.add(step);
    return new WalkState(
        prompt,
        receivedAtMs,
        sourcePartition,
        sourceOffset,
        goingDown,
        z,
        awaitingPromptId,
        stepBox,
        stepBoxSource,
        stepSentAtMs,
        middle,
        more,
        finishedAtMs);
  }

  /** This state with the next step in flight. */
  WalkState next(
      final boolean down,
      final int slice,
      final String stepPromptId,
      final Box box,
      final String boxSource,
      final long nowMs) {
    return new WalkState(
        prompt,
        receivedAtMs,
        sourcePartition,
        sourceOffset,
        down,
        slice,
        stepPromptId,
        box,
        boxSource,
        nowMs,
        middleBox,
        steps,
        finishedAtMs);
  }

  /** What is kept of a finished walk: its identity, no steps. */
  WalkState finishedAt(final long nowMs) {
    return new WalkState(
        prompt,
        receivedAtMs,
        sourcePartition,
        sourceOffset,
        goingDown,
        z,
        null,
        stepBox,
        stepBoxSource,
        stepSentAtMs,
        null,
        List.of(),
        nowMs);
  }
}
