package io.medsam.stream.viewer;

/**
 * The decoder weights a model bundle ships with (its manifest's id and version): the first version
 * of the model, in force until the trainer publishes one, and never on the weights history topic.
 *
 * @param modelId the decoder model, the bundle id (the trainer publishes under it)
 * @param version the bundle version, which names these weights in every MaskResult
 */
public record DecoderBase(String modelId, String version) {}
