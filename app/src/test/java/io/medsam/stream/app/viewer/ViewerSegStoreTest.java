package io.medsam.stream.app.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.medsam.stream.app.broker.EmbeddedBroker;
import io.medsam.stream.app.pipeline.PipelineWorkers;
import io.medsam.stream.app.pipeline.Role;
import io.medsam.stream.app.pipeline.ViewerAddress;
import io.medsam.stream.avro.OrthancSource;
import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.avro.SourceKind;
import io.medsam.stream.dicom.orthanc.OrthancClient;
import io.medsam.stream.dicom.orthanc.OrthancServers;
import io.medsam.stream.dicom.seg.SourceSeries;
import io.medsam.stream.dicom.testing.ExternalTool;
import io.medsam.stream.dicom.testing.OrthancProcess;
import io.medsam.stream.dicom.testing.TestSeries;
import io.medsam.stream.imaging.dicom.DicomDataset;
import io.medsam.stream.imaging.dicom.DicomParser;
import io.medsam.stream.ingest.ScanPublisher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's "stored back into Orthanc when a client asks", through the viewer: a 3-slice MR series
 * C-STOREd into a real Orthanc is published as a ScanEvent naming that Orthanc (two slices
 * ingested), embedded by the running pipeline (random-weights test bundle), a box prompt on one
 * slice gives a mask and a correction is painted on the other; the viewer's store action builds the
 * SEG server side and stores it in the series' own Orthanc, whose copy passes dciodvfy, is in the
 * source's study and holds, per referenced source instance, the slice's mask as the viewer shows
 * it.
 */
class ViewerSegStoreTest {

  private static final Path BUNDLE = Path.of("../model/testdata/tiny-random-bundle");
  private static final Duration WAIT = Duration.ofMinutes(3);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @RegisterExtension static final EmbeddedBroker BROKER = new EmbeddedBroker();

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void theStoreActionPutsAValidSegOfTheSeriesIntoItsOrthanc(@TempDir final Path tmp)
      throws Exception {
    final SourceSeries written = TestSeries.mr(tmp.resolve("series"), 3, TestSeries.patient());
    final String uid = written.seriesInstanceUid();
    try (OrthancProcess orthanc = OrthancProcess.start(Files.createDirectories(tmp.resolve("o")))) {
      final OrthancClient client = orthanc.client();
      orthanc.cStore(tmp.resolve("series"));
      final String seriesId = seriesOfUid(client, uid);
      final PipelineWorkers.Settings settings =
          new PipelineWorkers.Settings(
              BROKER.bootstrapServers(),
              BUNDLE,
              tmp.resolve("data"),
              "viewer-seg",
              new SimpleMeterRegistry(),
              UnaryOperator.identity(),
              new ViewerAddress("127.0.0.1", 0),
              OrthancServers.parse(List.of("pacs=http://127.0.0.1:" + orthanc.httpPort())));
      try (PipelineWorkers workers =
          PipelineWorkers.start(
              EnumSet.of(Role.INGEST, Role.ENCODER, Role.DECODER, Role.VIEWER), settings)) {
        assertThat(workers.awaitReady(Duration.ofMinutes(2))).isTrue();
        final String base = workers.viewer().orElseThrow().url().orElseThrow();
        try (ScanPublisher publisher = new ScanPublisher(BROKER.bootstrapServers())) {
          publisher.publish(
              ScanEvent.newBuilder()
                  .setScanId(UUID.randomUUID().toString())
                  .setSeriesUid(uid)
                  .setSourceUri("orthanc:pacs/series/" + seriesId)
                  .setSourceKind(SourceKind.DICOM_SERIES)
                  .setModality("MR")
                  .setAxes(List.of("axial"))
                  .setSlices(List.of(0, 1))
                  .setOrthanc(new OrthancSource("pacs", seriesId))
                  .setRequestedAt(Instant.now())
                  .build());
        }
        final JsonNode offer = awaitEmbedded(base, uid, 2).get("seg");
        assertThat(offer.get("download").asBoolean()).as(offer.toString()).isTrue();
        assertThat(offer.get("store").asBoolean()).as(offer.toString()).isTrue();

        // a box on slice 1 gives the model's mask; slice 0 gets a clinician's correction
        final JsonNode sent =
            post(
                base,
                "api/prompts",
                "{\"sliceKey\":\"" + uid + "/axial/1\",\"box\":[2,2,12,9],\"label\":\"target\"}");
        final boolean[] model = awaitMask(base, sent.get("promptId").asText());
        final boolean[] painted = new boolean[12 * 16];
        for (int r = 3; r < 8; r++) {
          for (int c = 4; c < 11; c++) {
            painted[r * 16 + c] = true;
          }
        }
        post(
            base,
            "api/corrections",
            "{\"sliceKey\":\""
                + uid
                + "/axial/0\",\"box\":[4,3,10,7],\"label\":\"target\",\"mask\":\""
                + base64(painted)
                + "\"}");
        awaitSliceMask(base, uid + "/axial/0", "correction");
        awaitSliceMask(base, uid + "/axial/1", "model");

        // the store action: the SEG built by the viewer, stored in the series' own Orthanc
        final JsonNode stored =
            post(base, "api/seg/store", "{\"seriesUid\":\"" + uid + "\",\"axis\":\"axial\"}");
        assertThat(stored.get("server").asText()).isEqualTo("pacs");
        assertThat(stored.get("segments").toString()).isEqualTo("[\"target\"]");
        assertThat(stored.get("slicesWithMask").asInt()).isEqualTo(2);
        final String instance = stored.get("instanceId").asText();
        final Path seg = tmp.resolve("seg.dcm");
        Files.write(seg, client.instanceFile(instance));
        assertThat(ExternalTool.dciodvfyErrors(seg)).isEmpty();
        final DicomDataset ds = DicomParser.parse(Files.readAllBytes(seg), seg.toString());
        assertThat(ds.string(0x00080060)).isEqualTo("SEG");
        assertThat(ds.string(0x0020000D)).isEqualTo(written.studyInstanceUid());
        assertThat(client.parentSeries(instance)).isNotEqualTo(seriesId);
        assertThat(frames(tmp, seg))
            .containsExactlyElementsOf(expectedFrames(written, List.of(painted, model)));
      }
    }
  }

  /** seg_frames.py's lines (dicom-bridge's test resource): segments, then one line per frame. */
  private static List<String> frames(final Path tmp, final Path seg) throws Exception {
    ExternalTool.require(ExternalTool.PYTHON, "python3");
    final Path script = tmp.resolve("seg_frames.py");
    try (InputStream in = ViewerSegStoreTest.class.getResourceAsStream("/seg_frames.py")) {
      Files.write(script, in.readAllBytes());
    }
    final ExternalTool.Result r =
        ExternalTool.run(
            List.of(ExternalTool.PYTHON.toString(), script.toString(), seg.toString()));
    assertThat(r.exitCode()).as(r.output()).isZero();
    return r.output().lines().toList();
  }

  private static List<String> expectedFrames(
      final SourceSeries written, final List<boolean[]> bySlice) {
    final List<String> out = new ArrayList<>(List.of("segments 1 target"));
    for (int k = 0; k < bySlice.size(); k++) {
      final StringBuilder bits = new StringBuilder();
      int area = 0;
      for (final boolean v : bySlice.get(k)) {
        bits.append(v ? '1' : '0');
        area += v ? 1 : 0;
      }
      if (area > 0) {
        out.add("1 " + written.images().get(k).sopInstanceUid() + " 12x16 " + bits);
      }
    }
    return out;
  }

  private static String seriesOfUid(final OrthancClient client, final String uid) throws Exception {
    for (final String id : client.allSeries()) {
      if (client.series(id).seriesInstanceUid().equals(uid)) {
        return id;
      }
    }
    throw new AssertionError("Orthanc has no series " + uid);
  }

  private static JsonNode awaitEmbedded(final String base, final String uid, final int slices)
      throws Exception {
    final long deadline = System.nanoTime() + WAIT.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      for (final JsonNode s : get(base, "api/series").get("series")) {
        if (s.get("seriesUid").asText().equals(uid)) {
          last = s;
          final JsonNode axes = s.get("axes");
          if (!axes.isEmpty() && axes.get(0).get("embedded").asInt() == slices) {
            return s;
          }
        }
      }
      Thread.sleep(250);
    }
    throw new AssertionError("not embedded within " + WAIT + ": " + last);
  }

  private static boolean[] awaitMask(final String base, final String promptId) throws Exception {
    final long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      final JsonNode m = get(base, "api/mask?promptId=" + promptId);
      if (!m.get("status").asText().equals("PENDING")) {
        assertThat(m.get("status").asText()).as(m.toString()).isEqualTo("OK");
        final byte[] bytes = Base64.getDecoder().decode(m.get("mask").asText());
        final boolean[] px = new boolean[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
          px[i] = bytes[i] == 1;
        }
        return px;
      }
    }
    throw new AssertionError("no mask within " + WAIT);
  }

  private static void awaitSliceMask(final String base, final String key, final String source)
      throws Exception {
    final long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      final JsonNode m = get(base, "api/slice-mask?key=" + key);
      if (m.has("source") && m.get("source").asText().equals(source)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the viewer did not show the " + source + " mask of " + key);
  }

  private static String base64(final boolean[] px) {
    final byte[] b = new byte[px.length];
    for (int i = 0; i < px.length; i++) {
      b[i] = (byte) (px[i] ? 1 : 0);
    }
    return Base64.getEncoder().encodeToString(b);
  }

  private static JsonNode get(final String base, final String path) throws Exception {
    final HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static JsonNode post(final String base, final String path, final String body)
      throws Exception {
    final HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
