package io.medsam.stream.imaging.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * model/testdata/reference/reference.json (schema in model/testdata/README.md, section
 * "reference/"): the outputs of the reference libraries (scikit-image, OpenCV, PyTorch) for the
 * manifest's resize and mask rules. Tensor files are raw little-endian, row-major, no header, paths
 * relative to reference/ (some point into ../golden/).
 */
public final class ReferenceGoldens {
  private final Path dir;
  private final Map<String, Object> index;

  private ReferenceGoldens(final Path dir, final Map<String, Object> index) {
    this.dir = dir;
    this.index = index;
  }

  /** The repository root: -Dmedsam.repo.root (set by surefire), else the module's parent. */
  public static Path repoRoot() {
    final String root = System.getProperty("medsam.repo.root");
    return root != null ? Path.of(root) : Path.of("..").toAbsolutePath().normalize();
  }

  /** Loads model/testdata/reference/reference.json. */
  @SuppressWarnings("unchecked")
  public static ReferenceGoldens load() {
    final Path dir = repoRoot().resolve("model/testdata/reference");
    try {
      final String json = Files.readString(dir.resolve("reference.json"), StandardCharsets.UTF_8);
      return new ReferenceGoldens(dir, (Map<String, Object>) MiniJson.parse(json));
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The cases of one section ("resize", "boxes", "masks"). */
  @SuppressWarnings("unchecked")
  public List<Map<String, Object>> cases(final String section) {
    return (List<Map<String, Object>>) index.get(section);
  }

  /** An integer field of a case. */
  public static int integer(final Map<String, Object> c, final String key) {
    return ((Number) c.get(key)).intValue();
  }

  /** A number field of a case. */
  public static double number(final Map<String, Object> c, final String key) {
    return ((Number) c.get(key)).doubleValue();
  }

  /** A numeric array field of a case. */
  @SuppressWarnings("unchecked")
  public static double[] numbers(final Map<String, Object> c, final String key) {
    final List<Object> l = (List<Object>) c.get(key);
    final double[] out = new double[l.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) l.get(i)).doubleValue();
    }
    return out;
  }

  /** The raw bytes of the uint8 tensor {@code c[key]}, checked against its shape. */
  public byte[] uint8(final Map<String, Object> c, final String key) {
    final Map<String, Object> t = tensor(c, key, "uint8");
    final byte[] b = read(t);
    check(t, b.length);
    return b;
  }

  /** The values of the float32 tensor {@code c[key]}, checked against its shape. */
  public float[] float32(final Map<String, Object> c, final String key) {
    final Map<String, Object> t = tensor(c, key, "float32");
    final ByteBuffer buf = ByteBuffer.wrap(read(t)).order(ByteOrder.LITTLE_ENDIAN);
    final float[] out = new float[buf.remaining() / 4];
    buf.asFloatBuffer().get(out);
    check(t, out.length);
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> tensor(
      final Map<String, Object> c, final String key, final String dtype) {
    final Map<String, Object> t = (Map<String, Object>) c.get(key);
    if (t == null || !dtype.equals(t.get("dtype"))) {
      throw new IllegalArgumentException(key + " is not a " + dtype + " tensor: " + t);
    }
    return t;
  }

  private byte[] read(final Map<String, Object> t) {
    try {
      return Files.readAllBytes(dir.resolve((String) t.get("file")).normalize());
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void check(final Map<String, Object> t, final int count) {
    long n = 1;
    for (final double d : numbers(t, "shape")) {
      n *= (long) d;
    }
    if (n != count) {
      throw new IllegalStateException(t.get("file") + ": " + count + " values, shape says " + n);
    }
  }
}
