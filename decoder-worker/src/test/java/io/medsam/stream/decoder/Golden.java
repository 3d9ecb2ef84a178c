package io.medsam.stream.decoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A golden set of model/testdata (golden.json, schema version 1, and its raw tensor files): {@code
 * golden/} (SAM family, tiny-random-bundle) or {@code golden-lite/} (LiteMedSAM family,
 * lite-random-bundle).
 */
public final class Golden {

  /** The committed golden sets, one per model family. */
  public static final List<String> SETS = List.of("golden", "golden-lite", "golden-conv");

  private final String name;
  private final Path dir;
  private final JsonNode root;

  private Golden(final String name, final Path dir, final JsonNode root) {
    this.name = name;
    this.dir = dir;
    this.root = root;
  }

  /**
   * @return the committed goldens of the SAM family (golden/)
   */
  public static Golden load() throws IOException {
    return load("golden");
  }

  /**
   * @param name one of {@link #SETS}
   * @return the committed golden set model/testdata/{@code name}
   */
  public static Golden load(final String name) throws IOException {
    final Path dir = TestBundles.goldenDir(name);
    final JsonNode root = new ObjectMapper().readTree(dir.resolve("golden.json").toFile());
    if (root.get("schema_version").asInt() != 1) {
      throw new IOException("unsupported golden schema " + root.get("schema_version"));
    }
    return new Golden(name, dir, root);
  }

  /**
   * @return the set's name, e.g. "golden-lite"
   */
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return name;
  }

  /**
   * @return the index
   */
  public JsonNode root() {
    return root;
  }

  /**
   * @return the max abs difference the goldens promise against PyTorch
   */
  public double tolerance() {
    return root.get("tolerance_abs").asDouble();
  }

  /**
   * @return the bundle folder the goldens were made with
   */
  public Path bundleDir() {
    return dir.resolve(root.get("bundle").asText()).normalize();
  }

  /**
   * @return the raw little-endian float32 values of a tensor reference
   */
  public float[] floats(final JsonNode ref) throws IOException {
    final ByteBuffer b =
        ByteBuffer.wrap(Files.readAllBytes(dir.resolve(ref.get("file").asText())))
            .order(ByteOrder.LITTLE_ENDIAN);
    final float[] out = new float[b.remaining() / 4];
    b.asFloatBuffer().get(out);
    if (out.length != elements(ref)) {
      throw new IOException(ref + " holds " + out.length + " values");
    }
    return out;
  }

  /**
   * @return the raw bytes of a tensor reference (uint8 tensors)
   */
  public byte[] bytes(final JsonNode ref) throws IOException {
    return Files.readAllBytes(dir.resolve(ref.get("file").asText()));
  }

  /**
   * @return the product of a tensor reference's shape
   */
  public static long elements(final JsonNode ref) {
    long n = 1;
    for (final JsonNode d : ref.get("shape")) {
      n *= d.asLong();
    }
    return n;
  }

  /**
   * @return max |a - b|
   */
  public static double maxAbsDiff(final float[] a, final float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(a.length + " vs " + b.length + " values");
    }
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs((double) a[i] - b[i]));
    }
    return m;
  }
}
