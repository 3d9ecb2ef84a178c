package io.medsam.stream.dicom.orthanc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The part of Orthanc's REST API the bridge uses, against one configured base URL (a URL named in a
 * record is never followed). A base URL with user information ({@code http://user:password@host})
 * authenticates with HTTP basic authentication; the credentials never appear in {@link #base()} or
 * an error. Errors name the method, path and status, never a DICOM attribute.
 */
public final class OrthancClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Explicit VR Little Endian, what compressed instances are transcoded to. */
  public static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";

  private final URI base;
  private final Optional<String> authorization;
  private final HttpClient http;
  private final Duration timeout;

  /** A client of the Orthanc at {@code base} (e.g. {@code http://localhost:8042}). */
  public OrthancClient(final URI base, final Duration timeout) {
    final String userInfo = base.getRawUserInfo();
    final URI plain = withoutUserInfo(base);
    final String s = plain.toString();
    this.base = URI.create(s.endsWith("/") ? s : s + "/");
    this.authorization =
        Optional.ofNullable(userInfo)
            .map(
                u ->
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString(
                                java.net.URLDecoder.decode(u, StandardCharsets.UTF_8)
                                    .getBytes(StandardCharsets.UTF_8)));
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  private static URI withoutUserInfo(final URI uri) {
    if (uri.getRawUserInfo() == null) {
      return uri;
    }
    try {
      return new URI(
          uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null);
    } catch (final java.net.URISyntaxException e) {
      throw new IllegalArgumentException("not an Orthanc base URL: " + uri.getHost(), e);
    }
  }

  /** The base URL this client talks to (without credentials). */
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
        request("instances")
            .header("Content-Type", "application/dicom")
            .POST(HttpRequest.BodyPublishers.ofByteArray(part10))
            .build();
    return parse(send(request, "POST instances"), "POST instances").path("ID").asText();
  }

  /** {@code GET /instances/{id}/file}: the stored Part-10 file. */
  public byte[] instanceFile(final String instanceId) throws OrthancException {
    final String path = "instances/" + pathSegment(instanceId) + "/file";
    return send(request(path).GET().build(), "GET " + path);
  }

  /**
   * {@code GET /instances/{id}/metadata/TransferSyntax}: the transfer syntax UID the instance is
   * stored in; empty when Orthanc did not record one.
   */
  public Optional<String> transferSyntax(final String instanceId) throws OrthancException {
    final String path = "instances/" + pathSegment(instanceId) + "/metadata/TransferSyntax";
    try {
      final String uid =
          new String(send(request(path).GET().build(), "GET " + path), StandardCharsets.US_ASCII)
              .trim();
      return uid.isEmpty() ? Optional.empty() : Optional.of(uid);
    } catch (final OrthancException e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * The instance as a Part-10 file transcoded by Orthanc to {@code transferSyntax}, not stored:
   * {@code POST /tools/create-archive} with {@code {"Resources": [id], "Transcode": syntax,
   * "Synchronous": true}}, the ZIP's one file. Orthanc keeps the SOPInstanceUID, and returns the
   * file as stored when it cannot decode it (the caller checks the syntax it got).
   *
   * <p>Not {@code POST /instances/{id}/modify} with a Transcode: in Orthanc 1.10.1 with Debian's
   * orthanc-gdcm 1.5 that decodes JPEG 2000 on an HTTP worker thread, whose stack GDCM overflows (a
   * segfault in libgdcmMSFF within one to three calls, taking Orthanc down); an archive is built by
   * Orthanc's jobs engine, on threads with a full stack. ({@code GET .../file?transcode=} returns
   * the stored syntax in 1.10.1.)
   */
  public byte[] transcodedInstanceFile(final String instanceId, final String transferSyntax)
      throws OrthancException {
    if (!transferSyntax.matches("[0-9.]{1,64}")) {
      throw new OrthancException(
          "not a transfer syntax UID: " + transferSyntax.length() + " characters",
          OrthancException.REFUSED);
    }
    final String what = "POST tools/create-archive of instance " + pathSegment(instanceId);
    final ObjectNode body = JSON.createObjectNode();
    body.putArray("Resources").add(instanceId);
    body.put("Transcode", transferSyntax);
    body.put("Synchronous", true);
    final byte[] zip =
        send(
            request("tools/create-archive")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build(),
            what);
    return onlyFile(zip, what);
  }

  /** The one file of an archive (its entry names hold patient attributes: never shown). */
  private static byte[] onlyFile(final byte[] zip, final String what) throws OrthancException {
    byte[] file = null;
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        if (e.isDirectory()) {
          continue;
        }
        if (file != null) {
          throw new OrthancException(what + ": the archive holds more than one file", 200);
        }
        file = in.readAllBytes();
      }
    } catch (final IOException e) {
      throw new OrthancException(what + ": the answer is not a ZIP archive", 200, e);
    }
    if (file == null) {
      throw new OrthancException(what + ": the archive is empty", 200);
    }
    return file;
  }

  /** {@code GET /instances/{id}}: the Orthanc id of the instance's series. */
  public String parentSeries(final String instanceId) throws OrthancException {
    return getJson("instances/" + pathSegment(instanceId)).path("ParentSeries").asText();
  }

  /** {@code GET /series}: the Orthanc ids of every series. */
  public List<String> allSeries() throws OrthancException {
    final List<String> ids = new ArrayList<>();
    for (final JsonNode id : getJson("series")) {
      ids.add(id.asText());
    }
    return ids;
  }

  /** {@code GET /series/{id}}: what the bridge announces of a series. */
  public SeriesInfo series(final String seriesId) throws OrthancException {
    final JsonNode series = getJson("series/" + pathSegment(seriesId));
    final List<String> instances = new ArrayList<>();
    for (final JsonNode id : series.path("Instances")) {
      instances.add(id.asText());
    }
    final JsonNode tags = series.path("MainDicomTags");
    return new SeriesInfo(
        seriesId,
        tags.path("SeriesInstanceUID").asText(""),
        tags.path("Modality").asText(""),
        instances);
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

  private HttpRequest.Builder request(final String path) {
    final HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
    authorization.ifPresent(a -> builder.header("Authorization", a));
    return builder;
  }

  private JsonNode getJson(final String path) throws OrthancException {
    return parse(send(request(path).GET().build(), "GET " + path), "GET " + path);
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
      throw new OrthancException(
          what + " on " + base + ": HTTP " + response.statusCode(), response.statusCode());
    }
    return response.body();
  }

  private static JsonNode parse(final byte[] body, final String what) throws OrthancException {
    try {
      return JSON.readTree(body);
    } catch (final IOException e) {
      throw new OrthancException(what + ": answer is not JSON", 200, e);
    }
  }

  /** Orthanc ids are hex with dashes; anything else is refused rather than put into a path. */
  private static String pathSegment(final String id) throws OrthancException {
    if (!id.matches("[0-9a-f-]{1,64}")) {
      throw new OrthancException(
          "not an Orthanc id: " + id.length() + " characters", OrthancException.REFUSED);
    }
    return id;
  }
}
