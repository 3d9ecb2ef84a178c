package io.medsam.stream.encoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The encoder half of a model bundle: what {@code manifest.json} says about the image encoder plus
 * the SHA-256 of {@code encoder.onnx}, which names the encoder in every SliceEmbedding.
 *
 * @param directory the bundle folder
 * @param id bundle id from the manifest
 * @param version bundle version from the manifest
 * @param imageSize S, the encoder's square input size
 * @param resize resize rule, "stretch" or "longest-side-pad"
 * @param embeddingShape [C, h, w] of one slice's embedding
 * @param encoderFile path of encoder.onnx
 * @param encoderSha256 lower-case hex SHA-256 of encoder.onnx
 */
public record EncoderBundle(
    Path directory,
    String id,
    String version,
    int imageSize,
    String resize,
    List<Integer> embeddingShape,
    Path encoderFile,
    String encoderSha256) {

  /** Hex digits of the file hash kept in the encoder model id. */
  public static final int SHORT_HASH_LENGTH = 12;

  /** Validates the fields and copies the shape. */
  public EncoderBundle {
    embeddingShape = List.copyOf(embeddingShape);
    if (embeddingShape.size() != 3) {
      throw new IllegalArgumentException("embedding_shape must be [C, h, w]: " + embeddingShape);
    }
    if (imageSize <= 0) {
      throw new IllegalArgumentException("image_size must be positive: " + imageSize);
    }
  }

  /**
   * Reads {@code manifest.json} in {@code directory} and hashes the encoder file.
   *
   * @throws BundleException when the manifest is missing, malformed or names no encoder file
   */
  public static EncoderBundle load(final Path directory) throws BundleException {
    final Path manifest = directory.resolve("manifest.json");
    final JsonNode root;
    try {
      root = new ObjectMapper().readTree(manifest.toFile());
    } catch (IOException e) {
      throw new BundleException("cannot read " + manifest + ": " + e.getMessage(), e);
    }
    final String encoderName = root.path("files").path("encoder").asText("encoder.onnx");
    final Path encoder = directory.resolve(encoderName);
    if (!Files.isRegularFile(encoder)) {
      throw new BundleException("bundle " + directory + " has no encoder file " + encoderName);
    }
    final List<Integer> shape = new ArrayList<>();
    root.path("embedding_shape").forEach(n -> shape.add(n.asInt()));
    try {
      return new EncoderBundle(
          directory,
          required(root, "id", manifest),
          required(root, "version", manifest),
          root.path("image_size").asInt(-1),
          root.path("resize").asText("stretch"),
          shape,
          encoder,
          sha256(encoder));
    } catch (IllegalArgumentException e) {
      throw new BundleException(manifest + ": " + e.getMessage(), e);
    }
  }

  /** {@code <id>:<version>:<first 12 hex digits of sha256(encoder.onnx)>}. */
  public String encoderModelId() {
    return id + ":" + version + ":" + encoderSha256.substring(0, SHORT_HASH_LENGTH);
  }

  /** C*h*w, the number of values in one slice's embedding. */
  public int embeddingSize() {
    return embeddingShape.get(0) * embeddingShape.get(1) * embeddingShape.get(2);
  }

  private static String required(final JsonNode root, final String field, final Path manifest)
      throws BundleException {
    final JsonNode node = root.get(field);
    if (node == null || !node.isValueNode() || node.asText().isEmpty()) {
      throw new BundleException(manifest + " lacks \"" + field + "\"");
    }
    return node.asText();
  }

  private static String sha256(final Path file) throws BundleException {
    final MessageDigest digest = sha256Digest();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new BundleException("cannot hash " + file + ": " + e.getMessage(), e);
    }
  }

  private static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }
}
