package io.medsam.stream.trainer.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the trainer needs from a model bundle's {@code manifest.json} (DESIGN.md section 2).
 *
 * @param dir bundle folder
 * @param modelId decoder model id (key of the weights topic)
 * @param bundleVersion the bundle's own version (the weights' root version)
 * @param imageSize S
 * @param resize "stretch" or "longest-side-pad"
 * @param embeddingShape [C, h, w]
 * @param lowResSize L
 * @param torchscript decoder.pt path
 * @param trainablePrefix parameters under this prefix are fine-tuned
 */
public record DecoderBundle(
    Path dir,
    String modelId,
    String bundleVersion,
    int imageSize,
    String resize,
    int[] embeddingShape,
    int lowResSize,
    Path torchscript,
    String trainablePrefix) {

  /**
   * Reads {@code dir/manifest.json}.
   *
   * @throws IOException if the manifest is missing, unreadable or lacks a required field
   */
  public static DecoderBundle read(final Path dir) throws IOException {
    final JsonNode m = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
    final JsonNode shape = require(m, "embedding_shape");
    final int[] embeddingShape = new int[shape.size()];
    for (int i = 0; i < embeddingShape.length; i++) {
      embeddingShape[i] = shape.get(i).asInt();
    }
    final String file = require(require(m, "files"), "decoder_torchscript").asText();
    final Path torchscript = dir.resolve(file);
    if (!Files.isRegularFile(torchscript)) {
      throw new IOException("bundle " + dir + " has no TorchScript decoder " + file);
    }
    final String resize = require(m, "resize").asText();
    if (!resize.equals("stretch") && !resize.equals("longest-side-pad")) {
      throw new IOException("unknown resize rule " + resize);
    }
    return new DecoderBundle(
        dir,
        require(m, "id").asText(),
        require(m, "version").asText(),
        require(m, "image_size").asInt(),
        resize,
        embeddingShape,
        require(m, "low_res_size").asInt(),
        torchscript,
        m.path("trainable_prefix").asText("mask_decoder."));
  }

  /** The geometry (pixel space to model space) of this bundle. */
  public ModelSpace modelSpace() {
    return new ModelSpace(imageSize, lowResSize, resize.equals("longest-side-pad"));
  }

  private static JsonNode require(final JsonNode node, final String field) throws IOException {
    final JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw new IOException("manifest lacks " + field);
    }
    return v;
  }
}
