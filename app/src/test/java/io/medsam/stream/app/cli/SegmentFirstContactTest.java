package io.medsam.stream.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.medsam.stream.app.Medsam;
import io.medsam.stream.app.broker.EmbeddedBroker;
import io.medsam.stream.ingest.ScanPublisher;
import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.topology.Topics;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a new user hands {@code medsam segment} (issue 12), through the CLI entry point on an
 * in-process broker with the random-weights test bundle: a PNG and a JPEG written here, pydicom's
 * one-file CT, a DICOM folder, and ch2 with {@code --slice}, where only the asked slice is encoded.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SegmentFirstContactTest {
  private static final Path CT_SMALL =
      Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm");

  @TempDir static Path dir;
  @RegisterExtension static final EmbeddedBroker BROKER = new EmbeddedBroker();

  private static Result segmentAt(final String bootstrap, final String... args) {
    final List<String> all = new ArrayList<>(List.of("segment", "--bootstrap-servers", bootstrap));
    all.addAll(List.of("--bundle", RunCommandProcessTest.BUNDLE.toString(), "--timeout", "120"));
    all.addAll(List.of(args));
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final int code =
        Medsam.commandLine()
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(all.toArray(String[]::new));
    return new Result(code, out.toString(), err.toString());
  }

  private static Result segment(final String... args) {
    return segmentAt(BROKER.bootstrapServers(), args);
  }

  private record Result(int code, String out, String err) {
    Result ok() {
      assertThat(code).as(out + err).isZero();
      return this;
    }
  }

  private static Path raster(final String name, final String format) throws Exception {
    final BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 48; y++) {
      for (int x = 0; x < 64; x++) {
        img.getRaster().setSample(x, y, 0, x > 20 && x < 40 && y > 10 && y < 30 ? 220 : 30);
      }
    }
    final Path file = dir.resolve(name);
    assertThat(ImageIO.write(img, format, file.toFile())).isTrue();
    return file;
  }

  @Test
  void aPngNeedsNoSliceAndAcceptsTwoDZero() throws Exception {
    final Path png = raster("demo.png", "png");
    final Path mask = dir.resolve("png-mask.png");
    final Result r = segment("--image", png.toString(), "--box", "18,8,42,32", "--out", "" + mask);
    assertThat(r.ok().out).contains("/2d/0 box");
    final BufferedImage written = ImageIO.read(mask.toFile());
    assertThat(written.getWidth()).isEqualTo(64);
    assertThat(written.getHeight()).isEqualTo(48);
    segment("--image", png.toString(), "--slice", "2d:0", "--box", "18,8,42,32", "--out", "" + mask)
        .ok();
    final Result axial = segment("--image", "" + png, "--slice", "axial:0", "--box", "1,1,5,5");
    assertThat(axial.code).isNotZero();
    assertThat(axial.err).contains("is a 2D image", "2d:0");
    final Result outside = segment("--image", png.toString(), "--box", "10,10,70,30");
    assertThat(outside.code).isNotZero();
    assertThat(outside.err).contains("--box");
  }

  @Test
  void aJpegNeedsNoSlice() throws Exception {
    final Path jpeg = raster("photo.jpg", "jpg");
    final Path mask = dir.resolve("jpeg-mask.png");
    final Result r = segment("--image", "" + jpeg, "--box", "18,8,42,32", "--out", "" + mask);
    assertThat(r.ok().out).contains("/2d/0 box", "score");
    assertThat(ImageIO.read(mask.toFile()).getWidth()).isEqualTo(64);
  }

  @Test
  void aOneFileDicomNeedsNoSliceAndTakesTwoDOrAxialZero() {
    assumeTrue(Files.exists(CT_SMALL), CT_SMALL + " absent (dev/setup installs python3-pydicom)");
    final Path mask = dir.resolve("ct-mask.png");
    final String ct = CT_SMALL.toString();
    assertThat(segment("--image", ct, "--box", "20,20,100,100", "--out", "" + mask).ok().out)
        .contains("/2d/0 box");
    assertThat(
            segment("--image", ct, "--slice", "2d:0", "--box", "20,20,100,100", "--out", "" + mask)
                .ok()
                .out)
        .contains("/2d/0 box");
    assertThat(
            segment("--image", ct, "--slice", "axial:0", "--box", "20,20,9,9", "--out", "" + mask)
                .err)
        .contains("--box");
    assertThat(
            segment(
                    "--image",
                    ct,
                    "--slice",
                    "axial:0",
                    "--box",
                    "20,20,100,100",
                    "--out",
                    "" + mask)
                .ok()
                .out)
        .contains("/axial/0 box");
    final Result beyond = segment("--image", ct, "--slice", "axial:1", "--box", "20,20,100,100");
    assertThat(beyond.code).isNotZero();
    assertThat(beyond.err).contains("axial:1 is out of range", "has 1 axial slice");
  }

  @Test
  void aDicomFolderNeedsNoSlice() throws Exception {
    assumeTrue(Files.exists(CT_SMALL), CT_SMALL + " absent (dev/setup installs python3-pydicom)");
    final Path folder = Files.createDirectories(dir.resolve("series"));
    Files.copy(CT_SMALL, folder.resolve("IM0001"));
    final Path mask = dir.resolve("series-mask.png");
    final Result r =
        segment("--image", "" + folder, "--box", "20,20,100,100", "--out", mask.toString());
    assertThat(r.ok().out).contains("/2d/0 box");
    assertThat(ImageIO.read(mask.toFile()).getWidth()).isEqualTo(128);
  }

  @Test
  void aNiftiSliceIsTheOnlyOneEncoded() throws Exception {
    final Path ch2 = RunCommandProcessTest.CH2;
    final String series = ScanPublisher.describe(ch2, null, "axial").getSeriesUid();
    final Path mask = dir.resolve("ch2-mask.png");
    final Result r =
        segment(
            "--image",
            "" + ch2,
            "--slice",
            "axial:90",
            "--box",
            "40,50,140,160",
            "--out",
            "" + mask);
    assertThat(r.ok().out).contains(series + "/axial/90 box");
    assertThat(embeddedKeys(series)).containsExactly(series + "/axial/90");

    final Result twoD = segment("--image", "" + ch2, "--slice", "2d:0", "--box", "1,1,5,5");
    assertThat(twoD.code).isNotZero();
    assertThat(twoD.err).contains("181 axial slices", "axial:K");
    final Result beyond =
        segment("--image", "" + ch2, "--slice", "coronal:217", "--box", "1,1,5,5");
    assertThat(beyond.err).contains("coronal:217 is out of range", "has 217 coronal slices");
  }

  @Test
  void withoutABrokerTheEmbeddedOneKeepsItsDataInATemporaryDirectoryDeletedAfterwards()
      throws Exception {
    final int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    final Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    final Set<Path> before = medsamTemporaries(tmp);
    final PrintStream stderr = System.err;
    final ByteArrayOutputStream notices = new ByteArrayOutputStream();
    System.setErr(new PrintStream(notices, true, StandardCharsets.UTF_8));
    try {
      segmentAt(
              "localhost:" + port,
              "--image",
              "" + raster("alone.png", "png"),
              "--box",
              "1,1,9,9",
              "--out",
              "" + dir.resolve("alone-mask.png"))
          .ok();
    } finally {
      System.setErr(stderr);
    }
    assertThat(notices.toString(StandardCharsets.UTF_8))
        .contains("starting the embedded broker (data " + tmp, "temporary: deleted");
    assertThat(medsamTemporaries(tmp)).isEqualTo(before);
  }

  private static Set<Path> medsamTemporaries(final Path tmp) throws Exception {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.filter(p -> p.getFileName().toString().startsWith("medsam-"))
          .collect(Collectors.toSet());
    }
  }

  /** Keys of {@code series} on the embeddings topic, read from the beginning to its end. */
  private static List<String> embeddedKeys(final String series) {
    final Map<String, Object> config =
        new java.util.HashMap<>(ClientConfigs.consumer(BROKER.bootstrapServers(), "x"));
    config.remove("group.id");
    config.put("enable.auto.commit", false);
    final List<String> keys = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      final List<TopicPartition> parts =
          c.partitionsFor(Topics.EMBEDDINGS).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      final Map<TopicPartition, Long> end = c.endOffsets(parts);
      while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
        for (final ConsumerRecord<byte[], byte[]> rec : c.poll(Duration.ofMillis(200))) {
          final String key = new String(rec.key(), StandardCharsets.UTF_8);
          if (key.startsWith(series + "/")) {
            keys.add(key);
          }
        }
      }
    }
    return keys;
  }
}
