package io.medsam.stream.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.medsam.stream.imaging.mask.MaskRule;
import io.medsam.stream.imaging.preprocess.ModelSpace;
import io.medsam.stream.imaging.preprocess.ResizeRule;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model bundle folder described by its manifest.json (see docs/architecture.md §2), plus the
 * SHA-256 of its encoder file, which names the encoder in every SliceEmbedding.
 *
 * @param directory the bundle folder
 * @param id bundle id
 * @param version bundle version; names the bundle's own decoder weights in every MaskResult
 * @param config architecture config ("tiny", "vit_b")
 * @param imageSize model input size S
 * @param resize how an H x W image maps to S x S
 * @param maskRule how the decoder's low-res logits become a mask ("mask_rule"; absent: logits)
 * @param embeddingShape [C, h, w]
 * @param lowResSize low-res logit size L
 * @param files role ("encoder", "decoder", "decoder_data", "decoder_torchscript") to file name
 * @param trainablePrefix state_dict prefix of the parameters that fine-tuning changes
 * @param decoderInitializers every initializer of decoder.onnx, in manifest order
 * @param lineage producer, source checkpoint hash and the like, as strings
 * @param encoderSha256 lower-case hex SHA-256 of the encoder ONNX file; null only for a bundle read
 *     for training without one ({@link #readForTraining})
 */
public record ModelBundle(
    Path directory,
    String id,
    String version,
    String config,
    int imageSize,
    ResizeRule resize,
    MaskRule maskRule,
    List<Integer> embeddingShape,
    int lowResSize,
    Map<String, String> files,
    String trainablePrefix,
    List<InitializerSpec> decoderInitializers,
    Map<String, String> lineage,
    String encoderSha256) {

  /** The manifest's file name. */
  public static final String MANIFEST = "manifest.json";

  /** Hex digits of the encoder file hash kept in the encoder model id. */
  public static final int SHORT_HASH_LENGTH = 12;

  /** Copies the collections. */
  public ModelBundle {
    embeddingShape = List.copyOf(embeddingShape);
    files = Map.copyOf(files);
    decoderInitializers = List.copyOf(decoderInitializers);
    lineage = Map.copyOf(lineage);
  }

  /**
   * Reads a bundle folder as the encoder and decoder workers serve it: every manifest field, and
   * the encoder and decoder ONNX files must exist.
   *
   * @param directory folder holding manifest.json
   * @return the bundle, with the encoder file's SHA-256
   * @throws BundleFormatException when the manifest is missing, malformed or names missing files
   */
  public static ModelBundle read(final Path directory) throws BundleFormatException {
    final ModelBundle bundle = manifest(directory);
    final Path decoder = bundle.decoderModel();
    if (!Files.isRegularFile(decoder)) {
      throw new BundleFormatException("decoder model missing: " + decoder);
    }
    final Path encoder = bundle.encoderModel();
    if (!Files.isRegularFile(encoder)) {
      throw new BundleFormatException("encoder model missing: " + encoder);
    }
    return bundle.withEncoderSha256(sha256(encoder));
  }

  /**
   * Reads a bundle folder as the trainer uses it: every manifest field as {@link #read} checks it,
   * but of the files only the TorchScript decoder ("decoder_torchscript") must exist; the ONNX
   * files need not (a decoder-only training bundle has none). When the encoder file is there its
   * SHA-256 is recorded as {@link #read} does; otherwise {@link #encoderSha256()} is null and
   * {@link #encoderModelId()} refuses.
   *
   * @param directory folder holding manifest.json
   * @return the bundle
   * @throws BundleFormatException when the manifest is missing or malformed, or names no existing
   *     TorchScript decoder
   */
  public static ModelBundle readForTraining(final Path directory) throws BundleFormatException {
    final ModelBundle bundle = manifest(directory);
    final Path torchscript = bundle.decoderTorchScript();
    if (!Files.isRegularFile(torchscript)) {
      throw new BundleFormatException("TorchScript decoder missing: " + torchscript);
    }
    final Optional<Path> encoder = bundle.file("encoder").filter(Files::isRegularFile);
    return encoder.isPresent() ? bundle.withEncoderSha256(sha256(encoder.get())) : bundle;
  }

  /** The manifest's fields, checked; no file is looked at yet. */
  private static ModelBundle manifest(final Path directory) throws BundleFormatException {
    final Path manifest = directory.resolve(MANIFEST);
    final JsonNode root;
    try {
      root = new ObjectMapper().readTree(manifest.toFile());
    } catch (final IOException e) {
      throw new BundleFormatException("cannot read " + manifest + ": " + e.getMessage(), e);
    }
    final ModelBundle bundle =
        new ModelBundle(
            directory.toAbsolutePath(),
            text(root, "id"),
            text(root, "version"),
            text(root, "config"),
            positiveInt(root, "image_size"),
            resizeRule(text(root, "resize")),
            maskRule(root),
            intList(root, "embedding_shape"),
            positiveInt(root, "low_res_size"),
            stringMap(required(root, "files"), "files"),
            text(root, "trainable_prefix"),
            initializers(required(root, "decoder_initializers")),
            root.has("lineage") ? stringMap(root.get("lineage"), "lineage") : Map.of(),
            null);
    if (bundle.embeddingShape.size() != 3) {
      throw new BundleFormatException(
          "embedding_shape must be [C, h, w]: " + bundle.embeddingShape);
    }
    return bundle;
  }

  /**
   * {@code <id>:<version>:<first 12 hex digits of sha256(encoder.onnx)>}, the encoder model id
   * every SliceEmbedding carries.
   *
   * @return the encoder model id
   */
  public String encoderModelId() {
    if (encoderSha256 == null) {
      throw new IllegalStateException("bundle " + directory + " was read without its encoder file");
    }
    return id + ":" + version + ":" + encoderSha256.substring(0, SHORT_HASH_LENGTH);
  }

  /**
   * @return C*h*w, the number of values in one slice's embedding
   */
  public int embeddingSize() {
    return embeddingShape.get(0) * embeddingShape.get(1) * embeddingShape.get(2);
  }

  /**
   * @return path of decoder.onnx
   */
  public Path decoderModel() throws BundleFormatException {
    return file("decoder")
        .orElseThrow(() -> new BundleFormatException("manifest names no decoder"));
  }

  /**
   * @return path of decoder.pt, the TorchScript decoder the trainer fine-tunes
   */
  public Path decoderTorchScript() throws BundleFormatException {
    return file("decoder_torchscript")
        .orElseThrow(() -> new BundleFormatException("manifest names no decoder_torchscript"));
  }

  /**
   * @return path of the encoder ONNX file
   */
  public Path encoderModel() throws BundleFormatException {
    return file("encoder")
        .orElseThrow(() -> new BundleFormatException("manifest names no encoder"));
  }

  /**
   * @return [C, h, w] as an array
   */
  public int[] embeddingShapeArray() {
    return embeddingShape.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * @param height original image rows H
   * @param width original image columns W
   * @return how an H x W image maps to this bundle's S x S input (its resize rule)
   */
  public ModelSpace modelSpace(final int height, final int width) {
    return new ModelSpace(height, width, imageSize, resize);
  }

  /**
   * @param role a key of "files"
   * @return the file's path inside the bundle, if the manifest names it
   */
  public Optional<Path> file(final String role) {
    return Optional.ofNullable(files.get(role)).map(directory::resolve);
  }

  /**
   * @return the initializer with this name, if the decoder has it
   */
  public Optional<InitializerSpec> decoderInitializer(final String name) {
    return decoderInitializers.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  private ModelBundle withEncoderSha256(final String sha256) {
    return new ModelBundle(
        directory,
        id,
        version,
        config,
        imageSize,
        resize,
        maskRule,
        embeddingShape,
        lowResSize,
        files,
        trainablePrefix,
        decoderInitializers,
        lineage,
        sha256);
  }

  private static String sha256(final Path file) throws BundleFormatException {
    final MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(digest.digest());
    } catch (final IOException e) {
      throw new BundleFormatException("cannot hash " + file + ": " + e.getMessage(), e);
    }
  }

  private static MaskRule maskRule(final JsonNode root) throws BundleFormatException {
    try {
      return MaskRule.fromManifest(root.has("mask_rule") ? root.get("mask_rule").asText() : null);
    } catch (final IllegalArgumentException e) {
      throw new BundleFormatException("manifest \"mask_rule\": " + e.getMessage(), e);
    }
  }

  private static ResizeRule resizeRule(final String name) throws BundleFormatException {
    try {
      return ResizeRule.fromManifest(name);
    } catch (final IllegalArgumentException e) {
      throw new BundleFormatException("manifest \"resize\": " + e.getMessage(), e);
    }
  }

  private static JsonNode required(final JsonNode root, final String field)
      throws BundleFormatException {
    final JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      throw new BundleFormatException("manifest lacks \"" + field + "\"");
    }
    return n;
  }

  private static String text(final JsonNode root, final String field) throws BundleFormatException {
    final JsonNode n = required(root, field);
    if (!n.isTextual() || n.asText().isEmpty()) {
      throw new BundleFormatException("manifest \"" + field + "\" must be a non-empty string");
    }
    return n.asText();
  }

  private static int positiveInt(final JsonNode root, final String field)
      throws BundleFormatException {
    final JsonNode n = required(root, field);
    if (!n.canConvertToInt() || n.asInt() <= 0) {
      throw new BundleFormatException("manifest \"" + field + "\" must be a positive integer");
    }
    return n.asInt();
  }

  private static List<Integer> intList(final JsonNode root, final String field)
      throws BundleFormatException {
    final JsonNode n = required(root, field);
    final List<Integer> out = new ArrayList<>();
    for (final JsonNode e : n) {
      if (!e.canConvertToInt() || e.asInt() <= 0) {
        throw new BundleFormatException("manifest \"" + field + "\" must hold positive integers");
      }
      out.add(e.asInt());
    }
    return out;
  }

  private static Map<String, String> stringMap(final JsonNode n, final String field)
      throws BundleFormatException {
    if (!n.isObject()) {
      throw new BundleFormatException("manifest \"" + field + "\" must be an object");
    }
    final Map<String, String> out = new LinkedHashMap<>();
    n.fields()
        .forEachRemaining(
            e ->
                out.put(
                    e.getKey(),
                    e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
    return out;
  }

  private static List<InitializerSpec> initializers(final JsonNode n) throws BundleFormatException {
    if (!n.isArray() || n.isEmpty()) {
      throw new BundleFormatException(
          "manifest \"decoder_initializers\" must be a non-empty array");
    }
    final List<InitializerSpec> out = new ArrayList<>();
    for (final JsonNode e : n) {
      final List<Long> shape = new ArrayList<>();
      for (final JsonNode d : required(e, "shape")) {
        shape.add(d.asLong());
      }
      final String dtype = e.has("dtype") ? e.get("dtype").asText() : "float32";
      out.add(new InitializerSpec(text(e, "name"), shape, dtype));
    }
    return out;
  }
}
