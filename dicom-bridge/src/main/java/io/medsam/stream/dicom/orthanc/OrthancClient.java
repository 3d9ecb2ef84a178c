package io.medsam.stream.dicom.orthanc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of Orthanc's REST API the bridge uses, against one configured base URL (a URL named in a
 * record is never followed). Errors name the method, path and status, never a DICOM attribute.
 */
public final class OrthancClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http;
  private final Duration timeout;

  /** A client of the Orthanc at {@code base} (e.g. {@code http://localhost:8042}). */
  public OrthancClient(final URI base, final Duration timeout) {
    final String s = base.toString();
    this.base = URI.create(s.endsWith("/") ? s : s + "/");
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** The base URL this client talks to. */
  public URI base() {
    return base;
  }

  /** {@code GET /system}: the server's version, e.g. "1.10.1". */
  public String version() throws OrthancException {
    return getJson("system").path("Version").asText();
  }

  /** {@code GET /changes?since=&limit=}: the changes after position {@code since}. */
  public ChangePage changes(final long since, final int limit) throws OrthancException {
    final JsonNode page = getJson("changes?since=" + since + "&limit=" + limit);
    final List<Change> changes = new ArrayList<>();
    for (final JsonNode c : page.path("Changes")) {
      changes.add(
          new Change(
              c.path("Seq").asLong(),
              c.path("ChangeType").asText(),
              c.path("ResourceType").asText(),
              c.path("ID").asText()));
    }
    return new ChangePage(changes, page.path("Last").asLong(), page.path("Done").asBoolean());
  }

  /** {@code POST /instances}: stores a Part-10 file and returns its Orthanc instance id. */
  public String storeInstance(final byte[] part10) throws OrthancException {
    final HttpRequest request =
        HttpRequest.newBuilder(base.resolve("instances"))
            .timeout(timeout)
            .header("Content-Type", "application/dicom")
            .POST(HttpRequest.BodyPublishers.ofByteArray(part10))
            .build();
    return parse(send(request, "POST instances"), "POST instances").path("ID").asText();
  }

  /** {@code GET /instances/{id}/file}: the stored Part-10 file. */
  public byte[] instanceFile(final String instanceId) throws OrthancException {
    final String path = "instances/" + pathSegment(instanceId) + "/file";
    return send(
        HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).GET().build(), "GET " + path);
  }

  /** {@code GET /series/{id}}: the series' DICOM SeriesInstanceUID. */
  public String seriesInstanceUid(final String seriesId) throws OrthancException {
    return getJson("series/" + pathSegment(seriesId))
        .path("MainDicomTags")
        .path("SeriesInstanceUID")
        .asText();
  }

  /** {@code GET /series/{id}}: the Orthanc ids of the series' instances (Orthanc's order). */
  public List<String> seriesInstances(final String seriesId) throws OrthancException {
    final List<String> ids = new ArrayList<>();
    for (final JsonNode id : getJson("series/" + pathSegment(seriesId)).path("Instances")) {
      ids.add(id.asText());
    }
    return ids;
  }

  private JsonNode getJson(final String path) throws OrthancException {
    final HttpRequest request =
        HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).GET().build();
    return parse(send(request, "GET " + path), "GET " + path);
  }

  private byte[] send(final HttpRequest request, final String what) throws OrthancException {
    final HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (final IOException e) {
      throw new OrthancException(what + " on " + base + ": " + e.getMessage(), e);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OrthancException(what + " on " + base + ": interrupted", e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new OrthancException(what + " on " + base + ": HTTP " + response.statusCode());
    }
    return response.body();
  }

  private static JsonNode parse(final byte[] body, final String what) throws OrthancException {
    try {
      return JSON.readTree(body);
    } catch (final IOException e) {
      throw new OrthancException(what + ": answer is not JSON", e);
    }
  }

  /** Orthanc ids are hex with dashes; anything else is refused rather than put into a path. */
  private static String pathSegment(final String id) throws OrthancException {
    if (!id.matches("[0-9a-f-]{1,64}")) {
      throw new OrthancException("not an Orthanc id: " + id.length() + " characters");
    }
    return id;
  }
}
