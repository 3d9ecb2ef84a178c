package io.medsam.stream.topology.decode;

import io.medsam.stream.avro.BoxPrompt;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.imaging.preprocess.InvalidBoxException;
import io.medsam.stream.records.Boxes;
import io.medsam.stream.records.EmbeddingTensor;
import io.medsam.stream.records.InvalidEmbeddingException;
import java.util.Optional;

/**
 * Validation of the decode topology's inputs, through the shared rules: boxes by {@code PixelBox}
 * (its shape as soon as a prompt arrives, its bounds once the slice's H x W is known), embeddings
 * by {@link EmbeddingTensor#of}; plus what only the topology knows: record keys must be the
 * records' sliceKeys, and a prompt needs an id.
 */
final class DecodeChecks {

  private DecodeChecks() {}

  /**
   * Checks that need no embedding.
   *
   * @return the reason the prompt is invalid, or empty
   */
  static Optional<String> promptProblem(final BoxPrompt prompt, final String key) {
    if (key == null || !key.equals(prompt.getSliceKey())) {
      return Optional.of(
          "record key " + key + " does not match the prompt's sliceKey " + prompt.getSliceKey());
    }
    if (prompt.getPromptId() == null || prompt.getPromptId().isBlank()) {
      return Optional.of("promptId is empty");
    }
    if (prompt.getBox() == null) {
      return Optional.of("box is missing");
    }
    try {
      Boxes.toPixelBox(prompt.getBox()).validateShape(name(prompt));
      return Optional.empty();
    } catch (final InvalidBoxException e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * Checks the prompt's box against the image size of its slice's embedding.
   *
   * @return the reason the box cannot prompt that image, or empty
   */
  static Optional<String> boxProblem(final BoxPrompt prompt, final SliceEmbedding embedding) {
    try {
      Boxes.toPixelBox(prompt.getBox())
          .validate(embedding.getImageHeight(), embedding.getImageWidth(), name(prompt));
      return Optional.empty();
    } catch (final InvalidBoxException e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * The shared embedding validation, and the record key against the sliceKey.
   *
   * @return the reason the embedding is unusable, or empty
   */
  static Optional<String> embeddingProblem(final SliceEmbedding embedding, final String key) {
    try {
      EmbeddingTensor.of(embedding);
    } catch (final InvalidEmbeddingException e) {
      return Optional.of(e.getMessage());
    }
    if (!key.equals(embedding.getSliceKey())) {
      return Optional.of(
          "record key " + key + " does not match sliceKey " + embedding.getSliceKey());
    }
    return Optional.empty();
  }

  private static String name(final BoxPrompt prompt) {
    return "prompt " + prompt.getPromptId();
  }
}
