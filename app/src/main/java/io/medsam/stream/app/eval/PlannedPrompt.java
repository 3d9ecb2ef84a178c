package io.medsam.stream.app.eval;

import io.medsam.stream.imaging.preprocess.PixelBox;

/**
 * One box prompt of the protocol: a ground-truth component of a target on one slice.
 *
 * @param label the target's label value
 * @param slice the slice index along the evaluated axis
 * @param componentArea the component's size, pixels
 * @param box the prompt box (the component's tight box, jittered when asked)
 */
public record PlannedPrompt(int label, int slice, long componentArea, PixelBox box) {}
