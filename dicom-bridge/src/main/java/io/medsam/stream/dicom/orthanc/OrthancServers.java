package io.medsam.stream.dicom.orthanc;

import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Orthancs this process is configured with ({@code --orthanc [NAME=]URL}, repeatable), by name.
 * Records name an Orthanc, never a URL: a worker reads only from the URLs given here, and a name it
 * does not know is refused.
 */
public final class OrthancServers {

  /** The name of an Orthanc given without one. */
  public static final String DEFAULT_NAME = "orthanc";

  /** Timeout of each request (an instance file is a few MiB at most). */
  public static final Duration TIMEOUT = Duration.ofSeconds(60);

  private static final String NAME = "[A-Za-z0-9._-]{1,64}";

  private final Map<String, OrthancClient> clients;

  private OrthancServers(final Map<String, OrthancClient> clients) {
    this.clients = clients;
  }

  /** No Orthanc: records naming one are refused. */
  public static OrthancServers none() {
    return new OrthancServers(Map.of());
  }

  /**
   * The Orthancs of {@code specs}, each {@code URL} or {@code NAME=URL} (e.g. {@code
   * pacs=http://pacs:8042}); an unnamed one is {@value #DEFAULT_NAME}.
   *
   * @throws IllegalArgumentException for a malformed spec, a URL that is not http(s) or a name
   *     given twice
   */
  public static OrthancServers parse(final Collection<String> specs) {
    final Map<String, OrthancClient> clients = new LinkedHashMap<>();
    for (final String spec : specs) {
      final int eq = spec.indexOf('=');
      final int scheme = spec.indexOf("://");
      final boolean named = eq > 0 && (scheme < 0 || eq < scheme);
      final String name = named ? spec.substring(0, eq).trim() : DEFAULT_NAME;
      final String url = named ? spec.substring(eq + 1).trim() : spec.trim();
      if (!name.matches(NAME)) {
        throw new IllegalArgumentException(
            "--orthanc: the name before '=' must be letters, digits, '.', '_' or '-'");
      }
      final URI uri;
      try {
        uri = URI.create(url);
      } catch (final IllegalArgumentException e) {
        throw new IllegalArgumentException("--orthanc " + name + ": not a URL", e);
      }
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "--orthanc " + name + ": needs an http(s) URL such as http://localhost:8042");
      }
      if (clients.putIfAbsent(name, new OrthancClient(uri, TIMEOUT)) != null) {
        throw new IllegalArgumentException(
            "--orthanc: two Orthancs named '" + name + "'; name them NAME=URL");
      }
    }
    return new OrthancServers(Map.copyOf(clients));
  }

  /** Whether none is configured. */
  public boolean isEmpty() {
    return clients.isEmpty();
  }

  /** The configured names, sorted. */
  public List<String> names() {
    return clients.keySet().stream().sorted().toList();
  }

  /** The names as a set. */
  public Set<String> nameSet() {
    return clients.keySet();
  }

  /** The client of the Orthanc configured under {@code name}; empty for any other name. */
  public Optional<OrthancClient> client(final String name) {
    return Optional.ofNullable(name == null ? null : clients.get(name));
  }

  /** {@code name=url, ...} without credentials, for log lines. */
  @Override
  public String toString() {
    return names().stream()
        .map(n -> n + "=" + clients.get(n).base())
        .collect(Collectors.joining(", "));
  }
}
