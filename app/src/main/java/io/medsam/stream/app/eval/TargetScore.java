package io.medsam.stream.app.eval;

/**
 * The score of one target.
 *
 * @param label label value
 * @param name label name (from the atlas's text file), or the value as text
 * @param slices slices with at least one prompt of the target
 * @param prompts prompts sent for it
 * @param dsc 3D Dice over the stacked slices
 * @param nsd 3D normalized surface distance at the tolerance
 * @param latencyP50Millis median client round trip (prompt sent to MaskResult read), ms
 */
public record TargetScore(
    int label,
    String name,
    long slices,
    int prompts,
    double dsc,
    double nsd,
    double latencyP50Millis) {}
