package io.medsam.stream.encoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a golden set of model/testdata (schema in model/testdata/README.md): {@code golden/} (SAM
 * family, tiny-random-bundle) or {@code golden-lite/} (LiteMedSAM family, lite-random-bundle).
 */
final class Golden {

  /** The committed golden sets, one per model family. */
  static final List<String> SETS = List.of("golden", "golden-lite", "golden-conv");

  final String name;
  final Path dir;
  final JsonNode index;

  private Golden(final String name, final Path dir, final JsonNode index) {
    this.name = name;
    this.dir = dir;
    this.index = index;
  }

  static Path repoRoot() {
    final String root = System.getProperty("medsam.repo.root");
    return root != null ? Path.of(root) : Path.of("..").toAbsolutePath().normalize();
  }

  /** The tiny random bundle; -Dmedsam.test.bundle=DIR points the tests at another bundle. */
  static Path tinyBundle() {
    final String override = System.getProperty("medsam.test.bundle");
    return override != null
        ? Path.of(override)
        : repoRoot().resolve("model/testdata/tiny-random-bundle");
  }

  /** model/testdata/golden. */
  static Golden load() throws IOException {
    return load("golden");
  }

  /** model/testdata/{@code name}, one of {@link #SETS}. */
  static Golden load(final String name) throws IOException {
    final Path dir = repoRoot().resolve("model/testdata").resolve(name);
    return new Golden(name, dir, new ObjectMapper().readTree(dir.resolve("golden.json").toFile()));
  }

  /**
   * The bundle the set was made with (golden.json "bundle"); for golden/ the tiny bundle, so that
   * -Dmedsam.test.bundle applies as everywhere else.
   */
  Path bundleDir() {
    return name.equals("golden")
        ? tinyBundle()
        : dir.resolve(index.get("bundle").asText()).normalize();
  }

  @Override
  public String toString() {
    return name;
  }

  /** A float32 tensor reference, flattened. */
  float[] floats(final JsonNode ref) throws IOException {
    final ByteBuffer bytes =
        ByteBuffer.wrap(Files.readAllBytes(dir.resolve(ref.get("file").asText())))
            .order(ByteOrder.LITTLE_ENDIAN);
    final float[] out = new float[bytes.remaining() / 4];
    bytes.asFloatBuffer().get(out);
    return out;
  }

  /** A uint8 tensor reference, flattened. */
  byte[] bytes(final JsonNode ref) throws IOException {
    return Files.readAllBytes(dir.resolve(ref.get("file").asText()));
  }

  static int[] shape(final JsonNode ref) {
    final int[] shape = new int[ref.get("shape").size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = ref.get("shape").get(i).asInt();
    }
    return shape;
  }

  static float maxAbsDiff(final float[] a, final float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(a.length + " vs " + b.length + " values");
    }
    float max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
