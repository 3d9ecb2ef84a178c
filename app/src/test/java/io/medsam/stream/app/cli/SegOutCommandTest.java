package io.medsam.stream.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.medsam.stream.app.Medsam;
import io.medsam.stream.app.broker.EmbeddedBroker;
import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.MaskStatus;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.dicom.orthanc.OrthancClient;
import io.medsam.stream.dicom.seg.PatientStudy;
import io.medsam.stream.dicom.series.SeriesSpec;
import io.medsam.stream.dicom.series.VolumeSeriesWriter;
import io.medsam.stream.dicom.testing.ExternalTool;
import io.medsam.stream.dicom.testing.OrthancProcess;
import io.medsam.stream.imaging.Affine;
import io.medsam.stream.imaging.SliceAxis;
import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.dicom.DicomDataset;
import io.medsam.stream.imaging.dicom.DicomParser;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.imaging.mask.MaskPng;
import io.medsam.stream.imaging.nifti.NiftiDatatype;
import io.medsam.stream.imaging.nifti.NiftiReader;
import io.medsam.stream.imaging.nifti.NiftiWriter;
import io.medsam.stream.imaging.preprocess.VolumeSlicer;
import io.medsam.stream.records.Masks;
import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.topology.Topics;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --seg-out} and {@code --seg-orthanc} through the CLI on an in-process broker with the
 * random-weights test bundle: ch2 written as a 181-instance MR series is evaluated against AAL's
 * NIfTI labels and segmented with 3D boxes (axial and coronal) and a 2D box; each SEG passes
 * dciodvfy, pydicom reads frames equal to the masks the pipeline returned (read back from Kafka or
 * from the command's NIfTI/PNG output) on the instances of their slices, and a real Orthanc keeps
 * the same bytes. Sources without DICOM UIDs, an Orthanc that does not answer and labels on another
 * grid are refused with the reason before anything is sent.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class SegOutCommandTest {
  private static final Path AAL = Path.of("/usr/share/mricron/templates/aal.nii.gz");
  private static final String PATIENT_NAME = "Doe^Jane";
  private static final String PATIENT_ID = "PID-20261201";
  private static final Pattern STORED =
      Pattern.compile("stored in Orthanc \\S+ as instance ([0-9a-f-]+)");

  @TempDir static Path dir;
  @RegisterExtension static final EmbeddedBroker BROKER = new EmbeddedBroker();

  /** ch2 as an MR series; its instances' InstanceNumber is the NIfTI's k + 1. */
  private static Path series;

  private static String seriesUid;

  /** SOPInstanceUID to the k of the ch2 slice the instance holds (InstanceNumber - 1). */
  private static final Map<String, Integer> SLICE_OF = new HashMap<>();

  private static OrthancProcess orthanc;

  @BeforeAll
  static void writeCh2AsDicomSeriesAndStartOrthanc() throws Exception {
    series = dir.resolve("ch2-dicom");
    final PatientStudy patient =
        new PatientStudy(
            "ISO_IR 100",
            PATIENT_NAME,
            PATIENT_ID,
            "19700101",
            "F",
            "20261201",
            "101500",
            "S1",
            "ACC1",
            "");
    seriesUid =
        VolumeSeriesWriter.write(
                NiftiReader.read(RunCommandProcessTest.CH2),
                SeriesSpec.create("MR", patient, "ch2", 0),
                series)
            .seriesInstanceUid();
    try (Stream<Path> files = Files.list(series)) {
      for (final Path f : files.toList()) {
        final DicomDataset ds = DicomParser.parse(Files.readAllBytes(f), f.toString());
        SLICE_OF.put(ds.string(0x00080018), ds.integer(0x00200013, 0) - 1);
      }
    }
    assertThat(SLICE_OF).hasSize(181);
    if (Files.isExecutable(OrthancProcess.BINARY)) {
      orthanc = OrthancProcess.start(Files.createDirectories(dir.resolve("orthanc")));
    }
  }

  @AfterAll
  static void stopOrthanc() throws InterruptedException {
    if (orthanc != null) {
      orthanc.close();
    }
  }

  private record Result(int code, String out, String err) {
    Result ok() {
      assertThat(code).as(out + err).isZero();
      assertThat(out + err).doesNotContain(PATIENT_NAME).doesNotContain(PATIENT_ID);
      return this;
    }

    Result refused(final String... parts) {
      assertThat(code).as(out + err).isNotZero();
      assertThat(err).contains(parts);
      return this;
    }
  }

  private static Result medsam(final String command, final String... args) {
    final List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of("--bootstrap-servers", BROKER.bootstrapServers()));
    all.addAll(List.of("--data-dir", dir.resolve("data").toString()));
    all.addAll(List.of("--bundle", RunCommandProcessTest.BUNDLE.toString(), "--timeout", "180"));
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

  /** {@code --seg-orthanc URL} when the Orthanc could start here, else nothing. */
  private static List<String> orthancArgs() {
    return orthanc == null
        ? List.of()
        : List.of("--seg-orthanc", orthanc.client().base().toString());
  }

  private static String[] args(final List<String> a, final List<String> b) {
    final List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all.toArray(String[]::new);
  }

  @Test
  void evalOnTheDicomSeriesWithNiftiLabelsWritesTheMasksOfThePipelineAsASeg() throws Exception {
    final Path seg = dir.resolve("eval/seg.dcm");
    final Result r =
        medsam(
                "eval",
                args(
                    List.of(
                        "--image", series.toString(),
                        "--labels", AAL.toString(),
                        "--label-ids", "77,85",
                        "--slices", "80-82",
                        "--out", dir.resolve("eval/report.json").toString(),
                        "--seg-out", seg.toString()),
                    orthancArgs()))
            .ok();
    assertThat(r.out)
        .contains("77 Thalamus_L", "85 Temporal_Mid_L")
        .contains("DICOM SEG (2 segments, ")
        .contains("referencing series " + seriesUid)
        .contains("written to " + seg);
    assertValid(seg);
    storedCopyIsTheSame(r, seg);

    // the masks the decoder returned for the eval's prompts, read back from Kafka: per target, the
    // union of its masks on each slice (what the SEG must hold)
    final Map<Integer, Map<Integer, BinaryMask>> returned = new TreeMap<>();
    for (final MaskResult m : masksOf(seriesUid + "/axial/")) {
      if (m.getWalkId() == null
          && m.getStatus() == MaskStatus.OK
          && m.getLabel() != null
          && List.of("77", "85").contains(m.getLabel())) {
        final int k =
            Integer.parseInt(m.getSliceKey().substring(m.getSliceKey().lastIndexOf('/') + 1));
        returned
            .computeIfAbsent(Integer.parseInt(m.getLabel()), l -> new TreeMap<>())
            .merge(k, Masks.toBinaryMask(m.getMask(), m.getSliceKey()), SegOutCommandTest::union);
      }
    }
    assertThat(returned.keySet()).containsExactly(77, 85);
    final List<String> expected = new ArrayList<>();
    expected.add("segments 2 Thalamus_L Temporal_Mid_L");
    int segment = 1;
    for (final Map<Integer, BinaryMask> bySlice : returned.values()) {
      for (final Map.Entry<Integer, BinaryMask> e : bySlice.entrySet()) {
        assertThat(e.getKey()).isBetween(80, 82);
        if (e.getValue().area() > 0) {
          expected.add(segment + " k=" + e.getKey() + " 217x181 " + bits(e.getValue()));
        }
      }
      segment++;
    }
    assertThat(frames(seg)).containsExactlyElementsOf(expected);

    // the same evaluation of the NIfTI ch2: the DICOM series is sliced into the same images and
    // the pipeline is deterministic, so the predicted label volumes are equal voxel for voxel
    // (slice order and voxel order agree)
    final Result nifti =
        medsam(
                "eval",
                "--image",
                RunCommandProcessTest.CH2.toString(),
                "--labels",
                AAL.toString(),
                "--label-ids",
                "77,85",
                "--slices",
                "80-82",
                "--out",
                dir.resolve("eval-nifti/report.json").toString())
            .ok();
    assertThat(nifti.out).doesNotContain("DICOM SEG");
    final Volume fromDicom = NiftiReader.read(dir.resolve("eval/report-labels.nii.gz"));
    final Volume fromNifti = NiftiReader.read(dir.resolve("eval-nifti/report-labels.nii.gz"));
    assertThat(fromDicom.affine()).isEqualTo(fromNifti.affine());
    assertThat(where(fromNifti, 77f)).contains(true);
    assertThat(Arrays.mismatch(fromDicom.voxels(), fromNifti.voxels()))
        .as("first voxel predicted differently from the DICOM and the NIfTI source")
        .isEqualTo(-1);
  }

  @Test
  void segmentBox3dOnTheDicomSeriesWritesTheWalkedMaskAsOneSegment() throws Exception {
    final Path seg = dir.resolve("box3d/seg.dcm");
    final Path mask = dir.resolve("box3d/mask.nii.gz");
    final Result r =
        medsam(
                "segment",
                args(
                    List.of(
                        "--image", series.toString(),
                        "--box3d", "40,50,80,140,160,84",
                        "--out", mask.toString(),
                        "--seg-out", seg.toString(),
                        "--seg-label", "walked box"),
                    orthancArgs()))
            .ok();
    assertThat(r.out).contains("DICOM SEG (1 segment, ", "referencing series " + seriesUid);
    assertValid(seg);
    storedCopyIsTheSame(r, seg);
    final List<String> expected = expectedFrames(NiftiReader.read(mask), "walked box");
    assertThat(expected).hasSizeGreaterThan(1); // a frame on more than one instance
    assertThat(frames(seg)).containsExactlyElementsOf(expected);
  }

  @Test
  void aCoronalWalkLandsOnTheAxialInstancesVoxelForVoxel() throws Exception {
    final Path seg = dir.resolve("coronal/seg.dcm");
    final Path mask = dir.resolve("coronal/mask.nii.gz");
    medsam(
            "segment",
            "--image",
            series.toString(),
            "--axis",
            "coronal",
            "--box3d",
            "40,40,100,140,140,102",
            "--out",
            mask.toString(),
            "--seg-out",
            seg.toString())
        .ok();
    assertValid(seg);
    final Volume walked = NiftiReader.read(mask);
    final List<String> expected = expectedFrames(walked, "segment");
    // coronal slices 100-102 are rows 100-102 of every axial instance they cross
    assertThat(expected).hasSizeGreaterThan(3);
    for (int k = 0; k < walked.nz(); k++) {
      final float[] axial = VolumeSlicer.values(walked, SliceAxis.AXIAL, k);
      for (int n = 0; n < axial.length; n++) {
        if (axial[n] != 0) {
          assertThat(n / walked.nx()).isBetween(100, 102);
        }
      }
    }
    assertThat(frames(seg)).containsExactlyElementsOf(expected);
  }

  @Test
  void aTwoDBoxOnOneSliceOfTheSeriesGivesOneFrameOnItsInstance() throws Exception {
    final Path seg = dir.resolve("box/seg.dcm");
    final Path png = dir.resolve("box/mask.png");
    medsam(
            "segment",
            "--image",
            series.toString(),
            "--slice",
            "axial:90",
            "--box",
            "40,50,140,160",
            "--out",
            png.toString(),
            "--seg-out",
            seg.toString())
        .ok();
    assertValid(seg);
    final BinaryMask m = MaskPng.read(png);
    assumeThat(m.area()).as("the random model's mask of this box").isPositive();
    assertThat(frames(seg)).containsExactly("segments 1 segment", "1 k=90 217x181 " + bits(m));
  }

  @Test
  void sourcesWithoutDicomUidsAndUnreachableOrthancsAreRefusedBeforeAnythingIsSent()
      throws Exception {
    final long before = endOffsets(Topics.SCANS);
    final String ch2 = RunCommandProcessTest.CH2.toString();
    final String seg = dir.resolve("refused/seg.dcm").toString();
    medsam(
            "eval",
            "--image",
            ch2,
            "--labels",
            AAL.toString(),
            "--label-ids",
            "77",
            "--slices",
            "80-80",
            "--out",
            dir.resolve("refused/report.json").toString(),
            "--seg-out",
            seg)
        .refused("--seg-out: ", "is a NIfTI file: it has no DICOM UIDs", "DICOM series");
    medsam("segment", "--image", ch2, "--box3d", "40,50,80,140,160,84", "--seg-out", seg)
        .refused("--seg-out: ", "is a NIfTI file");
    final BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
    final Path png = dir.resolve("refused/photo.png");
    Files.createDirectories(png.getParent());
    ImageIO.write(img, "png", png.toFile());
    medsam("segment", "--image", png.toString(), "--box", "1,1,9,9", "--seg-out", seg)
        .refused("--seg-out: ", "is a PNG/JPEG image: it has no DICOM UIDs");
    final int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    medsam(
            "segment",
            "--image",
            series.toString(),
            "--box3d",
            "40,50,80,140,160,84",
            "--seg-orthanc",
            "http://127.0.0.1:" + port)
        .refused("--seg-orthanc: the Orthanc at http://127.0.0.1:" + port + " does not answer");
    medsam(
            "segment",
            "--image",
            series.toString(),
            "--box3d",
            "40,50,80,140,160,84",
            "--seg-out",
            seg,
            "--seg-label",
            "a\\b")
        .refused("--seg-label: ", "backslash");
    medsam(
            "segment",
            "--image",
            series.toString(),
            "--box3d",
            "40,50,80,140,160,84",
            "--seg-out",
            series.resolve("seg.dcm").toString())
        .refused("lies in the source series' folder");
    assertThat(series.resolve("seg.dcm")).doesNotExist();
    assertThat(Path.of(seg)).doesNotExist();
    assertThat(endOffsets(Topics.SCANS)).as("scans published").isEqualTo(before);
  }

  @Test
  void labelsWhoseVoxelsAreInAnotherOrderThanTheSeriesAreRefused() throws Exception {
    // AAL with its rows flipped: same sizes, another affine (what a converter that flips rows
    // writes); paired with the series voxel for voxel it would mirror every slice's labels
    final Volume aal = NiftiReader.read(AAL);
    final double[] m = aal.affine().m().clone();
    m[3] += m[1] * (aal.ny() - 1);
    m[7] += m[5] * (aal.ny() - 1);
    m[1] = -m[1];
    m[5] = -m[5];
    final Path flipped = dir.resolve("aal-flipped.nii.gz");
    NiftiWriter.write(
        new Volume(
            aal.voxels(),
            aal.nx(),
            aal.ny(),
            aal.nz(),
            aal.dx(),
            aal.dy(),
            aal.dz(),
            new Affine(m),
            aal.metadata()),
        NiftiDatatype.UINT8,
        "flipped",
        flipped);
    final long before = endOffsets(Topics.PROMPTS);
    medsam(
            "eval",
            "--image",
            series.toString(),
            "--labels",
            flipped.toString(),
            "--label-ids",
            "77",
            "--slices",
            "80-80",
            "--out",
            dir.resolve("flipped/report.json").toString())
        .refused(
            "voxel-to-world affine", "is not that of the DICOM series", "share the series' grid");
    assertThat(endOffsets(Topics.PROMPTS)).as("prompts sent").isEqualTo(before);
  }

  /** Per non-empty axial slice k of a walked NIfTI mask, the SEG frame line it must give. */
  private static List<String> expectedFrames(final Volume mask, final String label) {
    final List<String> expected = new ArrayList<>();
    expected.add("segments 1 " + label);
    for (int k = 0; k < mask.nz(); k++) {
      final float[] v = VolumeSlicer.values(mask, SliceAxis.AXIAL, k);
      final BinaryMask m = BinaryMask.where(v, mask.ny(), mask.nx(), 1);
      if (m.area() > 0) {
        expected.add("1 k=" + k + " 217x181 " + bits(m));
      }
    }
    return expected;
  }

  /** dciodvfy finds the Segmentation IOD and no error. */
  private static void assertValid(final Path seg) throws Exception {
    ExternalTool.assumeDciodvfy();
    final ExternalTool.Result v =
        ExternalTool.run(List.of(ExternalTool.DCIODVFY.toString(), seg.toString()));
    assertThat(v.output().lines().filter(l -> l.startsWith("Error")).toList())
        .as(v.output())
        .isEmpty();
    assertThat(v.output().lines()).as(v.output()).contains("Segmentation");
  }

  /** The Orthanc instance the command printed holds the bytes of the written file. */
  private static void storedCopyIsTheSame(final Result r, final Path seg) throws Exception {
    if (orthanc == null) {
      return;
    }
    final Matcher m = STORED.matcher(r.out);
    assertThat(m.find()).as(r.out).isTrue();
    final OrthancClient client = orthanc.client();
    final byte[] stored = client.instanceFile(m.group(1));
    assertThat(stored).isEqualTo(Files.readAllBytes(seg));
    final Path copy = seg.resolveSibling("from-orthanc.dcm");
    Files.write(copy, stored);
    assertValid(copy);
  }

  /**
   * The SEG as pydicom reads it: "segments n labels...", then per frame "segment k=<slice of the
   * referenced instance> rowsxcols bits".
   */
  private static List<String> frames(final Path seg) throws Exception {
    ExternalTool.assumePydicom();
    final Path script = dir.resolve("seg_frames.py");
    if (!Files.exists(script)) {
      try (InputStream in = SegOutCommandTest.class.getResourceAsStream("/seg_frames.py")) {
        Files.write(script, in.readAllBytes());
      }
    }
    final ExternalTool.Result r =
        ExternalTool.run(
            List.of(ExternalTool.PYTHON.toString(), script.toString(), seg.toString()));
    assertThat(r.exitCode()).as(r.output()).isZero();
    final List<String> lines = new ArrayList<>();
    for (final String line : r.output().lines().toList()) {
      if (line.startsWith("segments ")) {
        lines.add(line);
        continue;
      }
      final String[] p = line.split(" ");
      assertThat(SLICE_OF).as("referenced instance").containsKey(p[1]);
      lines.add(p[0] + " k=" + SLICE_OF.get(p[1]) + " " + p[2] + " " + p[3]);
    }
    return lines;
  }

  /** The MaskResults on medsam.masks.v1 whose slice key starts with {@code prefix}. */
  private static List<MaskResult> masksOf(final String prefix) throws Exception {
    final AvroCodec<MaskResult> codec = AvroCodec.of(MaskResult.class);
    final List<MaskResult> out = new ArrayList<>();
    for (final ConsumerRecord<byte[], byte[]> rec : readToEnd(Topics.MASKS)) {
      if (new String(rec.key(), StandardCharsets.UTF_8).startsWith(prefix)) {
        out.add(codec.decode(rec.value(), rec.topic(), rec.partition(), rec.offset()));
      }
    }
    return out;
  }

  private static KafkaConsumer<byte[], byte[]> consumer() {
    final Map<String, Object> config =
        new HashMap<>(ClientConfigs.consumer(BROKER.bootstrapServers(), "x"));
    config.remove("group.id");
    config.put("enable.auto.commit", false);
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static List<ConsumerRecord<byte[], byte[]>> readToEnd(final String topic) {
    final List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = consumer()) {
      final List<TopicPartition> parts =
          c.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      final Map<TopicPartition, Long> end = c.endOffsets(parts);
      while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  private static long endOffsets(final String topic) {
    try (KafkaConsumer<byte[], byte[]> c = consumer()) {
      final List<TopicPartition> parts =
          c.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      return c.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private static BinaryMask union(final BinaryMask a, final BinaryMask b) {
    final boolean[] px = a.pixels().clone();
    for (int n = 0; n < px.length; n++) {
      px[n] |= b.pixels()[n];
    }
    return new BinaryMask(px, a.height(), a.width());
  }

  private static boolean[] where(final Volume v, final float label) {
    final boolean[] out = new boolean[v.voxelCount()];
    for (int n = 0; n < out.length; n++) {
      out[n] = v.voxels()[n] == label;
    }
    return out;
  }

  private static String bits(final BinaryMask m) {
    final StringBuilder sb = new StringBuilder();
    for (final boolean p : m.pixels()) {
      sb.append(p ? '1' : '0');
    }
    return sb.toString();
  }
}
