package io.medsam.stream.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.medsam.stream.avro.Correction;
import io.medsam.stream.avro.ImageSlice;
import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.MaskStatus;
import io.medsam.stream.avro.OrthancSource;
import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.avro.SourceKind;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.dicom.orthanc.OrthancServers;
import io.medsam.stream.dicom.seg.SourceSeries;
import io.medsam.stream.dicom.testing.ExternalTool;
import io.medsam.stream.dicom.testing.TestSeries;
import io.medsam.stream.imaging.dicom.DicomDataset;
import io.medsam.stream.imaging.dicom.DicomParser;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.records.Masks;
import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.topology.Topics;
import io.medsam.stream.topology.testing.InProcessKafka;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DICOM SEG download against a real broker and a real DICOM series folder (4 slices written by
 * dicom-bridge's series writer): the slices' latest masks (a correction over the model's mask)
 * become one segment per label, each frame on the instance of its slice, valid for dciodvfy and
 * read back by pydicom; a NIfTI series, an Orthanc this viewer is not configured with and a store
 * request for a series that did not come from an Orthanc are refused with the reason, and the
 * series list says which series offer what.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SegDownloadApiTest {

  private static final int ROWS = 12;
  private static final int COLS = 16;
  private static final String NIFTI = "nifti-series";
  private static final String ELSEWHERE = "elsewhere-series";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path tmp;

  private static InProcessKafka kafka;
  private static ViewerWorker viewer;
  private static String base;
  private static SourceSeries dicom;
  private static String uid;

  /** Label to slice index to the mask the SEG must hold. */
  private static final Map<String, Map<Integer, BinaryMask>> EXPECTED = new TreeMap<>();

  @BeforeAll
  static void start() throws Exception {
    kafka = InProcessKafka.start();
    final Path folder = tmp.resolve("series");
    dicom = TestSeries.mr(folder, 4, TestSeries.patient());
    uid = dicom.seriesInstanceUid();
    try (KafkaProducer<byte[], byte[]> p = producer()) {
      send(p, Topics.SCANS, uid, scan(uid, folder.toString(), SourceKind.DICOM_SERIES, null));
      send(p, Topics.SCANS, NIFTI, scan(NIFTI, "/nowhere/x.nii.gz", SourceKind.NIFTI, null));
      send(
          p,
          Topics.SCANS,
          ELSEWHERE,
          scan(ELSEWHERE, "orthanc:pacs/series/abc", SourceKind.DICOM_SERIES, "pacs"));
      for (int k = 0; k < 4; k++) {
        send(p, Topics.SLICES, uid + "/axial/" + k, slice(uid, k));
      }
      send(p, Topics.SLICES, NIFTI + "/axial/0", slice(NIFTI, 0));
      // slice 0: the model's mask of a prompt without a label
      model(p, 0, rect(2, 3, 4, 5), null, "v1");
      // slice 1: a model mask of "liver"
      model(p, 1, rect(0, 0, 3, 16), "liver", "v2");
      // slice 2: a correction of "kidney"
      correct(p, 2, rect(5, 5, 2, 2), "kidney");
      // slice 3: the model's "liver", then a clinician's correction of it, which wins
      model(p, 3, rect(1, 1, 10, 10), "liver", "v2");
      correct(p, 3, rect(4, 6, 3, 7), "liver");
      send(
          p,
          Topics.MASKS,
          NIFTI + "/axial/0",
          AvroCodec.of(MaskResult.class)
              .encode(mask(NIFTI + "/axial/0", rect(0, 0, 2, 2), "liver", "v1")));
    }
    viewer =
        new ViewerWorker(
            ViewerConfig.defaults(kafka.bootstrapServers())
                .withAddress("127.0.0.1", 0)
                .withOrthancs(OrthancServers.parse(List.of("other=http://127.0.0.1:9"))));
    viewer.start();
    assertThat(viewer.awaitRunning(Duration.ofSeconds(60))).isTrue();
    base = viewer.url().orElseThrow();
  }

  @AfterAll
  static void stop() throws Exception {
    if (viewer != null) {
      viewer.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void theMasksOfADicomSeriesDownloadAsASegWithOneSegmentPerLabel() throws Exception {
    final HttpResponse<byte[]> r = get("/api/seg?series=" + uid + "&axis=axial");
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/dicom");
    assertThat(r.headers().firstValue("X-Slices-With-Mask")).contains("4");
    assertThat(r.headers().firstValue("X-Segments")).contains("kidney,liver,unlabelled");
    final Path seg = tmp.resolve("seg.dcm");
    Files.write(seg, r.body());

    final DicomDataset ds = DicomParser.parse(r.body(), seg.toString());
    assertThat(ds.string(0x00080060)).isEqualTo("SEG");
    assertThat(ds.string(0x0020000D)).isEqualTo(dicom.studyInstanceUid());
    assertThat(ds.string(0x00200052)).isEqualTo(dicom.frameOfReferenceUid());
    assertThat(ds.string(0x0020000E)).isNotEqualTo(uid);
    assertThat(ExternalTool.dciodvfyErrors(seg)).isEmpty();

    ExternalTool.assumePydicom();
    final Path script = tmp.resolve("seg_frames.py");
    try (InputStream in = SegDownloadApiTest.class.getResourceAsStream("/seg_frames.py")) {
      Files.write(script, in.readAllBytes());
    }
    final ExternalTool.Result frames =
        ExternalTool.run(
            List.of(ExternalTool.PYTHON.toString(), script.toString(), seg.toString()));
    assertThat(frames.exitCode()).as(frames.output()).isZero();
    final List<String> lines = frames.output().lines().toList();
    assertThat(lines.get(0)).isEqualTo("segments 3 kidney liver unlabelled");
    final List<String> expected = new ArrayList<>();
    int segment = 0;
    for (final Map<Integer, BinaryMask> bySlice : EXPECTED.values()) {
      segment++;
      for (int k = 0; k < 4; k++) {
        final BinaryMask m = bySlice.get(k);
        if (m != null) {
          expected.add(
              segment
                  + " "
                  + dicom.images().get(k).sopInstanceUid()
                  + " "
                  + ROWS
                  + "x"
                  + COLS
                  + " "
                  + bits(m));
        }
      }
    }
    assertThat(lines.subList(1, lines.size())).containsExactlyElementsOf(expected);
  }

  @Test
  void seriesWithoutADicomSourceOrAConfiguredOrthancAreRefusedWithTheReason() throws Exception {
    final HttpResponse<byte[]> nifti = get("/api/seg?series=" + NIFTI + "&axis=axial");
    assertThat(nifti.statusCode()).isEqualTo(409);
    assertThat(json(nifti.body()).get("error").asText()).contains("NIfTI source has no DICOM UIDs");

    final HttpResponse<String> store =
        post("/api/seg/store", "{\"seriesUid\":\"" + uid + "\",\"axis\":\"axial\"}");
    assertThat(store.statusCode()).isEqualTo(409);
    assertThat(json(store.body()).get("error").asText()).contains("did not come from an Orthanc");

    final HttpResponse<String> elsewhere =
        post("/api/seg/store", "{\"seriesUid\":\"" + ELSEWHERE + "\"}");
    assertThat(elsewhere.statusCode()).isEqualTo(409);
    assertThat(json(elsewhere.body()).get("error").asText())
        .contains("Orthanc 'pacs', which this viewer is not configured with");

    final Map<String, JsonNode> offers = new TreeMap<>();
    for (final JsonNode s : json(get("/api/series").body()).get("series")) {
      offers.put(s.get("seriesUid").asText(), s.get("seg"));
    }
    assertThat(offers.get(uid).get("download").asBoolean()).isTrue();
    assertThat(offers.get(uid).get("store").asBoolean()).isFalse();
    assertThat(offers.get(NIFTI).get("download").asBoolean()).isFalse();
    assertThat(offers.get(NIFTI).get("downloadReason").asText()).contains("use NIfTI");
    assertThat(offers.get(ELSEWHERE).get("store").asBoolean()).isFalse();
    assertThat(offers.get(ELSEWHERE).get("orthanc").asText()).isEqualTo("pacs/series/abc");
  }

  private static byte[] scan(
      final String series, final String source, final SourceKind kind, final String orthanc) {
    return AvroCodec.of(ScanEvent.class)
        .encode(
            ScanEvent.newBuilder()
                .setScanId("scan-" + series)
                .setSeriesUid(series)
                .setSourceUri(source)
                .setSourceKind(kind)
                .setModality("MR")
                .setAxes(List.of("axial"))
                .setRequestedAt(Instant.now())
                .setOrthanc(orthanc == null ? null : new OrthancSource(orthanc, "abc"))
                .build());
  }

  private static byte[] slice(final String series, final int k) {
    return AvroCodec.of(ImageSlice.class)
        .encode(
            ImageSlice.newBuilder()
                .setSliceKey(series + "/axial/" + k)
                .setSeriesUid(series)
                .setAxis("axial")
                .setIndex(k)
                .setHeight(ROWS)
                .setWidth(COLS)
                .setChannels(1)
                .setPixels(ByteBuffer.wrap(new byte[ROWS * COLS]))
                .setPixelSpacingRow(1.0)
                .setPixelSpacingCol(1.0)
                .setSlicePosition(2.0 * k)
                .setModality("MR")
                .setSourceUri("test")
                .setScanId("scan-" + series)
                .setCreatedAt(Instant.now())
                .build());
  }

  private static MaskResult mask(
      final String key, final BinaryMask m, final String label, final String version) {
    return MaskResult.newBuilder()
        .setPromptId("p-" + key + "-" + version)
        .setSliceKey(key)
        .setStatus(MaskStatus.OK)
        .setMask(Masks.toRleMask(m))
        .setLabel(label)
        .setDecoderWeightsVersion(version)
        .setProducedAt(Instant.now())
        .build();
  }

  private static void model(
      final KafkaProducer<byte[], byte[]> p,
      final int k,
      final BinaryMask m,
      final String label,
      final String version)
      throws Exception {
    final String key = uid + "/axial/" + k;
    send(p, Topics.MASKS, key, AvroCodec.of(MaskResult.class).encode(mask(key, m, label, version)));
    EXPECTED.computeIfAbsent(label == null ? "unlabelled" : label, l -> new TreeMap<>()).put(k, m);
  }

  private static void correct(
      final KafkaProducer<byte[], byte[]> p, final int k, final BinaryMask m, final String label)
      throws Exception {
    final String key = uid + "/axial/" + k;
    final Correction c =
        Correction.newBuilder()
            .setCorrectionId("c-" + k)
            .setSliceKey(key)
            .setLabel(label)
            .setAnnotator("test")
            .setMask(Masks.toRleMask(m))
            .setCreatedAt(Instant.now())
            .build();
    send(p, Topics.CORRECTIONS, key, AvroCodec.of(Correction.class).encode(c));
    // the correction replaces whatever the slice had, under any label
    EXPECTED.values().forEach(bySlice -> bySlice.remove(k));
    EXPECTED.computeIfAbsent(label, l -> new TreeMap<>()).put(k, m);
  }

  private static BinaryMask rect(final int r0, final int c0, final int h, final int w) {
    final boolean[] px = new boolean[ROWS * COLS];
    for (int r = r0; r < r0 + h; r++) {
      for (int c = c0; c < c0 + w; c++) {
        px[r * COLS + c] = true;
      }
    }
    return new BinaryMask(px, ROWS, COLS);
  }

  private static String bits(final BinaryMask m) {
    final StringBuilder b = new StringBuilder();
    for (final boolean v : m.pixels()) {
      b.append(v ? '1' : '0');
    }
    return b.toString();
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    return new KafkaProducer<>(
        ClientConfigs.producer(kafka.bootstrapServers()),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  private static void send(
      final KafkaProducer<byte[], byte[]> p, final String topic, final String key, final byte[] v)
      throws Exception {
    p.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), v)).get();
  }

  private static HttpResponse<byte[]> get(final String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path.substring(1))).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static HttpResponse<String> post(final String path, final String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path.substring(1)))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(final Object body) throws Exception {
    return JSON.readTree(
        body instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : (String) body);
  }
}
