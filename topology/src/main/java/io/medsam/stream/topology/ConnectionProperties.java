package io.medsam.stream.topology;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How this process reaches its cluster beyond the bootstrap servers: Kafka client properties such
 * as {@code security.protocol}, {@code sasl.*} and {@code ssl.*}, read from a file in Kafka's
 * client properties format ({@code --kafka-config FILE}). Keys that decide how the pipeline works
 * (serializers, group and transactional ids, isolation, idempotence, Streams' guarantee) are
 * refused: the pipeline sets them per client, and a file that changed them would break exactly-once
 * processing without a word.
 *
 * @param values the properties, by key
 */
public record ConnectionProperties(Map<String, String> values) {

  /** Keys a connection file may not set, each with the reason shown to the user. */
  static final Set<String> RESERVED =
      Set.of(
          "bootstrap.servers",
          "key.serializer",
          "value.serializer",
          "key.deserializer",
          "value.deserializer",
          "group.id",
          "group.instance.id",
          "transactional.id",
          "enable.idempotence",
          "isolation.level",
          "enable.auto.commit",
          "application.id",
          "processing.guarantee");

  /** No properties: plaintext, no authentication. */
  public static final ConnectionProperties NONE = new ConnectionProperties(Map.of());

  /** Copies {@code values}; throws IllegalArgumentException on a reserved key. */
  public ConnectionProperties {
    final Set<String> refused = new TreeSet<>(values.keySet());
    refused.retainAll(RESERVED);
    if (!refused.isEmpty()) {
      throw new IllegalArgumentException(
          "client properties may not set "
              + refused
              + " (the pipeline sets these per client; give the servers with"
              + " --bootstrap-servers)");
    }
    values = Map.copyOf(new TreeMap<>(values));
  }

  /**
   * Reads a file in Kafka's client properties format ({@link Properties}, UTF-8).
   *
   * @param file the file, e.g. {@code client.properties}
   * @return its properties
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException when it sets a reserved key
   */
  public static ConnectionProperties read(final Path file) throws IOException {
    final Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(in);
    }
    final Map<String, String> values = new TreeMap<>();
    properties.stringPropertyNames().forEach(k -> values.put(k, properties.getProperty(k).trim()));
    try {
      return new ConnectionProperties(values);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * @return true when nothing is set (plaintext, no authentication)
   */
  public boolean isEmpty() {
    return values.isEmpty();
  }

  /**
   * @return the value of {@code security.protocol}, PLAINTEXT when unset
   */
  public String securityProtocol() {
    return values.getOrDefault("security.protocol", "PLAINTEXT");
  }

  /** Names the keys only: values hold passwords and must stay out of logs. */
  @Override
  public String toString() {
    return "ConnectionProperties" + new TreeSet<>(values.keySet());
  }
}
