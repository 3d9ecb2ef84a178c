package io.medsam.stream.client;

import io.medsam.stream.imaging.preprocess.PixelBox;

/**
 * A BoxPrompt on its way.
 *
 * @param promptId its id
 * @param sliceKey its slice
 * @param box the box in original pixel coordinates
 * @param label the label it carries, or null
 * @param sentNanos {@link System#nanoTime()} when it was handed to the producer
 */
public record SentPrompt(
    String promptId, String sliceKey, PixelBox box, String label, long sentNanos) {}
