package io.medsam.stream.avro.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * Historical writer schemas of each record type, read from the classpath as {@code
 * <root>/<SimpleName>/1.avsc}, {@code 2.avsc}, ... (self-contained schemas, numbered without gaps;
 * the highest number is the schema the current code writes). A reader keeps every version so that
 * it can resolve records written by older producers.
 */
public final class SchemaHistory {

  /** The classpath root of the history shipped with this module. */
  public static final String DEFAULT_ROOT = "avro-history";

  private static final SchemaHistory DEFAULT =
      new SchemaHistory(SchemaHistory.class.getClassLoader(), DEFAULT_ROOT);

  private final ClassLoader loader;
  private final String root;
  private final Map<String, List<Schema>> cache = new ConcurrentHashMap<>();

  private SchemaHistory(final ClassLoader loader, final String root) {
    this.loader = Objects.requireNonNull(loader, "loader");
    this.root = Objects.requireNonNull(root, "root");
  }

  /** The history shipped with this module ({@value #DEFAULT_ROOT} on its class loader). */
  public static SchemaHistory fromClasspath() {
    return DEFAULT;
  }

  /** A history under another classpath root, e.g. a test's. */
  public static SchemaHistory fromClasspath(final ClassLoader loader, final String root) {
    return new SchemaHistory(loader, root);
  }

  /**
   * Every historical writer schema of the record with this full name, oldest first; empty when none
   * is kept.
   *
   * @throws IllegalStateException when a history file does not parse or names another record
   */
  public List<Schema> writerSchemas(final String fullName) {
    return cache.computeIfAbsent(fullName, this::load);
  }

  private List<Schema> load(final String fullName) {
    final String simpleName = fullName.substring(fullName.lastIndexOf('.') + 1);
    final List<Schema> versions = new ArrayList<>();
    for (int version = 1; ; version++) {
      final String resource = root + "/" + simpleName + "/" + version + ".avsc";
      try (InputStream in = loader.getResourceAsStream(resource)) {
        if (in == null) {
          return List.copyOf(versions);
        }
        final Schema schema = new Schema.Parser().parse(in);
        if (!schema.getFullName().equals(fullName)) {
          throw new IllegalStateException(
              resource + " holds " + schema.getFullName() + ", expected " + fullName);
        }
        versions.add(schema);
      } catch (SchemaParseException e) {
        throw new IllegalStateException("Invalid schema history file " + resource, e);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read schema history file " + resource, e);
      }
    }
  }
}
