package io.medsam.stream.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.medsam.stream.avro.BoxPrompt;
import io.medsam.stream.avro.Correction;
import io.medsam.stream.avro.ImageSlice;
import io.medsam.stream.avro.TrainerStatus;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.dicom.orthanc.OrthancServers;
import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.imaging.nifti.NiftiReader;
import io.medsam.stream.records.Boxes;
import io.medsam.stream.records.Masks;
import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.topology.Topics;
import io.medsam.stream.topology.testing.InProcessKafka;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The viewer's HTTP API against a real broker (no workers): bad input from the page is refused with
 * a message and publishes nothing; good input becomes exactly the records it describes; the series
 * list, the trainer's published status and the NIfTI export come from the topics.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ViewerApiTest {

  private static final String SERIES = "test-series";
  private static final String KEY = SERIES + "/axial/3";
  private static final int H = 20;
  private static final int W = 30;
  private static final int MAX_BODY = 64 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static InProcessKafka kafka;
  private static ViewerWorker viewer;
  private static String base;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    kafka = InProcessKafka.start();
    try (KafkaProducer<byte[], byte[]> p = producer()) {
      p.send(record(Topics.SLICES, KEY, AvroCodec.of(ImageSlice.class).encode(slice()))).get();
    }
    viewer =
        new ViewerWorker(
            new ViewerConfig(
                kafka.bootstrapServers(),
                "127.0.0.1",
                0,
                MAX_BODY,
                Duration.ofSeconds(1),
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                OrthancServers.none()));
    viewer.start();
    assertThat(viewer.awaitRunning(Duration.ofSeconds(60))).isTrue();
    base = viewer.url().orElseThrow();
    assertThat(base).startsWith("http://127.0.0.1:");
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

  private static ImageSlice slice() {
    final byte[] px = new byte[H * W];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) (i % 251);
    }
    return ImageSlice.newBuilder()
        .setSliceKey(KEY)
        .setSeriesUid(SERIES)
        .setAxis("axial")
        .setIndex(3)
        .setHeight(H)
        .setWidth(W)
        .setChannels(1)
        .setPixels(ByteBuffer.wrap(px))
        .setPixelSpacingRow(1.0)
        .setPixelSpacingCol(1.0)
        .setSlicePosition(3.0)
        .setModality("MR")
        .setSourceUri("/nowhere/test.nii.gz")
        .setScanId("scan-1")
        .setCreatedAt(Instant.now())
        .build();
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    return new KafkaProducer<>(
        ClientConfigs.producer(kafka.bootstrapServers()),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  private static ProducerRecord<byte[], byte[]> record(
      final String topic, final String key, final byte[] value) {
    return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value);
  }

  private static HttpResponse<String> post(final String path, final String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path.substring(1)))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<byte[]> get(final String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path.substring(1))).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static JsonNode json(final HttpResponse<?> r) throws Exception {
    final Object b = r.body();
    return JSON.readTree(
        b instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : (String) b);
  }

  /** Every record on the topics a page could write to, read to their end. */
  private static List<ConsumerRecord<byte[], byte[]>> written(final String topic) {
    final Map<String, Object> props =
        new HashMap<>(ClientConfigs.consumer(kafka.bootstrapServers(), "unused"));
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      final List<TopicPartition> parts =
          c.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      final Map<TopicPartition, Long> end = c.endOffsets(parts);
      final List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      return out;
    }
  }

  private static long publishedByPage() {
    return written(Topics.PROMPTS).size()
        + written(Topics.CORRECTIONS).size()
        + written(Topics.VOLUME_PROMPTS).size();
  }

  private static String maskBase64(final BinaryMask m) {
    final byte[] b = new byte[m.pixels().length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (m.pixels()[i] ? 1 : 0);
    }
    return Base64.getEncoder().encodeToString(b);
  }

  private static BinaryMask square(final int r0, final int c0, final int size) {
    final boolean[] px = new boolean[H * W];
    for (int r = r0; r < r0 + size; r++) {
      for (int c = c0; c < c0 + size; c++) {
        px[r * W + c] = true;
      }
    }
    return new BinaryMask(px, H, W);
  }

  @Test
  void badInputGetsAClearMessageAndNothingOnTheTopics() throws Exception {
    final long before = publishedByPage();

    final HttpResponse<String> outside =
        post("/api/prompts", "{\"sliceKey\":\"" + KEY + "\",\"box\":[5,5,40,10]}");
    assertThat(outside.statusCode()).isEqualTo(400);
    assertThat(json(outside).get("error").asText())
        .contains("outside the 30 x 20 image")
        .contains("nothing was sent");

    final HttpResponse<String> unknown =
        post(
            "/api/corrections",
            "{\"sliceKey\":\""
                + SERIES
                + "/axial/99\",\"box\":[1,1,5,5],\"mask\":\""
                + maskBase64(square(1, 1, 5))
                + "\"}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(json(unknown).get("error").asText())
        .contains("unknown slice " + SERIES + "/axial/99");

    final String big = "{\"sliceKey\":\"" + KEY + "\",\"pad\":\"" + "x".repeat(MAX_BODY) + "\"}";
    final HttpResponse<String> oversized = post("/api/corrections", big);
    assertThat(oversized.statusCode()).isEqualTo(413);
    assertThat(json(oversized).get("error").asText())
        .contains("request body too large")
        .contains(String.valueOf(MAX_BODY));

    final HttpResponse<String> wrongSize =
        post(
            "/api/corrections",
            "{\"sliceKey\":\""
                + KEY
                + "\",\"box\":[1,1,5,5],\"mask\":\""
                + Base64.getEncoder().encodeToString(new byte[10])
                + "\"}");
    assertThat(wrongSize.statusCode()).isEqualTo(400);
    assertThat(json(wrongSize).get("error").asText()).contains("has 600");

    final HttpResponse<String> noJson = post("/api/prompts", "box please");
    assertThat(noJson.statusCode()).isEqualTo(400);

    // what a form on another web site could send: refused, it never reaches the topics
    final HttpResponse<String> form =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "api/prompts"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"sliceKey\":\"" + KEY + "\",\"box\":[2,3,12,15]}"))
                .header("Content-Type", "text/plain")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(form.statusCode()).isEqualTo(415);

    final HttpResponse<String> walkOutside =
        post(
            "/api/volume-prompts",
            "{\"seriesUid\":\""
                + SERIES
                + "\",\"axis\":\"axial\",\"box\":[1,1,5,5],\"z0\":3,\"z1\":5}");
    assertThat(walkOutside.statusCode()).isEqualTo(400);
    assertThat(json(walkOutside).get("error").asText()).contains("[4, 5]").contains("not ingested");

    assertThat(publishedByPage()).as("records published by refused requests").isEqualTo(before);
  }

  @Test
  void aBoxBecomesOneBoxPromptAndWaitsForItsEmbedding() throws Exception {
    final HttpResponse<String> r =
        post("/api/prompts", "{\"sliceKey\":\"" + KEY + "\",\"box\":[2,3,12,15],\"label\":\"x\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    final JsonNode sent = json(r);
    assertThat(sent.get("embedded").asBoolean()).isFalse();
    final String id = sent.get("promptId").asText();
    final List<BoxPrompt> prompts =
        written(Topics.PROMPTS).stream()
            .map(c -> AvroCodec.of(BoxPrompt.class).decode(c.value(), c.topic(), 0, 0L))
            .filter(p -> p.getPromptId().equals(id))
            .toList();
    assertThat(prompts).hasSize(1);
    assertThat(prompts.get(0).getSliceKey()).isEqualTo(KEY);
    assertThat(Boxes.toPixelBox(prompts.get(0).getBox()).toFloats())
        .containsExactly(2f, 3f, 12f, 15f);
    // no encoder, no decoder: the page is told that the prompt waits for its embedding
    final JsonNode mask = json(get("/api/mask?promptId=" + id));
    assertThat(mask.get("status").asText()).isEqualTo("PENDING");
    assertThat(mask.get("embedded").asBoolean()).isFalse();
  }

  @Test
  void aCorrectionIsPublishedAsPaintedAndExportedAsNifti() throws Exception {
    final BinaryMask painted = square(4, 6, 7);
    final HttpResponse<String> r =
        post(
            "/api/corrections",
            "{\"sliceKey\":\""
                + KEY
                + "\",\"box\":[6,4,12,10],\"label\":\"lesion\",\"mask\":\""
                + maskBase64(painted)
                + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    final String id = json(r).get("correctionId").asText();
    final List<Correction> found =
        written(Topics.CORRECTIONS).stream()
            .map(c -> AvroCodec.of(Correction.class).decode(c.value(), c.topic(), 0, 0L))
            .filter(c -> c.getCorrectionId().equals(id))
            .toList();
    assertThat(found).hasSize(1);
    assertThat(Masks.toBinaryMask(found.get(0).getMask(), KEY)).isEqualTo(painted);
    assertThat(found.get(0).getLabel()).isEqualTo("lesion");
    assertThat(Boxes.toPixelBox(found.get(0).getBox()).toFloats())
        .containsExactly(6f, 4f, 12f, 10f);

    // the viewer reads the correction back from the topic; the export stacks it on the grid
    final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    HttpResponse<byte[]> nifti = get("/api/export?series=" + SERIES + "&axis=axial");
    while (nifti.statusCode() == 404 && System.nanoTime() < deadline) {
      Thread.sleep(200);
      nifti = get("/api/export?series=" + SERIES + "&axis=axial");
    }
    assertThat(nifti.statusCode()).isEqualTo(200);
    final byte[] raw;
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(nifti.body()))) {
      raw = in.readAllBytes();
    }
    final Volume v = NiftiReader.read(raw, "export");
    assertThat(new int[] {v.nx(), v.ny(), v.nz()}).containsExactly(W, H, 4);
    int inside = 0;
    for (int k = 0; k < v.nz(); k++) {
      for (int j = 0; j < H; j++) {
        for (int i = 0; i < W; i++) {
          final boolean on = v.voxels()[v.index(i, j, k)] > 0;
          assertThat(on).isEqualTo(k == 3 && painted.get(j, i));
          inside += on ? 1 : 0;
        }
      }
    }
    assertThat(inside).isEqualTo(49);
  }

  @Test
  void seriesAndTrainerStateComeFromTheTopics() throws Exception {
    final JsonNode series = json(get("/api/series")).get("series");
    assertThat(series).hasSize(1);
    assertThat(series.get(0).get("seriesUid").asText()).isEqualTo(SERIES);
    final JsonNode axial = series.get(0).get("axes").get(0);
    assertThat(axial.get("axis").asText()).isEqualTo("axial");
    assertThat(axial.get("slices").asInt()).isEqualTo(1);
    assertThat(axial.get("embedded").asInt()).isZero();

    final HttpResponse<byte[]> pixels = get("/api/slice?key=" + KEY);
    assertThat(pixels.statusCode()).isEqualTo(200);
    assertThat(pixels.headers().firstValue("X-Width")).contains("30");
    assertThat(pixels.body()).hasSize(H * W).startsWith((byte) 0, (byte) 1, (byte) 2);
    assertThat(get("/api/slice?key=" + SERIES + "/axial/0").statusCode()).isEqualTo(404);

    final TrainerStatus status =
        TrainerStatus.newBuilder()
            .setModelId("m")
            .setTrainer("medsam-trainer")
            .setPairs(7)
            .setNewPairs(2)
            .setPendingCorrections(1)
            .setRejectedCorrections(0L)
            .setMinNewPairs(20)
            .setRunning(false)
            .setRuns(1)
            .setLastDecision("REJECTED")
            .setLastVersion("ft1")
            .setLastReason("gain below margin")
            .setUpdatedAt(Instant.now())
            .build();
    try (KafkaProducer<byte[], byte[]> p = producer()) {
      p.send(record(Topics.TRAINER_STATUS, "m", AvroCodec.of(TrainerStatus.class).encode(status)))
          .get();
    }
    final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode trainer = json(get("/api/trainer"));
    while (trainer.get("trainers").isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(200);
      trainer = json(get("/api/trainer"));
    }
    final JsonNode t = trainer.get("trainers").get(0);
    assertThat(t.get("newPairs").asInt()).isEqualTo(2);
    assertThat(t.get("lastDecision").asText()).isEqualTo("REJECTED");
    assertThat(trainer.get("rollback").asBoolean()).isFalse();
    final HttpResponse<String> rollback = post("/api/trainer/rollback", "{\"version\":\"ft1\"}");
    assertThat(rollback.statusCode()).isEqualTo(501);
    assertThat(json(rollback).get("error").asText()).contains("medsam weights rollback");
  }

  @Test
  void thePageAndItsScriptAreServed() throws Exception {
    final HttpResponse<byte[]> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(new String(page.body(), StandardCharsets.UTF_8))
        .contains("<canvas id=\"overlay\"")
        .doesNotContain("http://")
        .doesNotContain("https://");
    assertThat(get("/viewer.js").statusCode()).isEqualTo(200);
    assertThat(get("/nope.js").statusCode()).isEqualTo(404);
  }
}
