package io.medsam.stream.app.orthanc;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.medsam.stream.app.broker.EmbeddedBroker;
import io.medsam.stream.app.pipeline.PipelineWorkers;
import io.medsam.stream.app.pipeline.Role;
import io.medsam.stream.app.pipeline.ViewerAddress;
import io.medsam.stream.avro.DeadLetter;
import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.client.PipelineClient;
import io.medsam.stream.client.ReceivedMask;
import io.medsam.stream.dicom.orthanc.OrthancClient;
import io.medsam.stream.dicom.orthanc.OrthancSeriesReader;
import io.medsam.stream.dicom.orthanc.OrthancServers;
import io.medsam.stream.dicom.seg.PatientStudy;
import io.medsam.stream.dicom.seg.Segment;
import io.medsam.stream.dicom.seg.SegmentationSeries;
import io.medsam.stream.dicom.seg.SegmentationWriter;
import io.medsam.stream.dicom.seg.SourceSeries;
import io.medsam.stream.dicom.seg.SourceSeriesReader;
import io.medsam.stream.dicom.series.SeriesSpec;
import io.medsam.stream.dicom.series.VolumeSeriesWriter;
import io.medsam.stream.dicom.testing.ExternalTool;
import io.medsam.stream.dicom.testing.OrthancProcess;
import io.medsam.stream.dicom.testing.TestSeries;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.imaging.nifti.NiftiReader;
import io.medsam.stream.imaging.preprocess.PixelBox;
import io.medsam.stream.topology.TopicSpec;
import io.medsam.stream.topology.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 17's "done when", end to end on the embedded broker with the random-weights test bundle: a
 * real Orthanc receives ch2 as a 181-instance MR series over C-STORE (storescu) and pydicom's JPEG
 * 2000 file over REST; the bridge announces each once; every instance becomes an embedding (the
 * JPEG 2000 one read through Orthanc's transcoding); box prompts on three slices give masks; a SEG
 * of them, built on the instances read back from Orthanc, is stored in Orthanc, read back and
 * passes dciodvfy; a restarted bridge announces only the series that came after it; the patient's
 * name, ID and birth date appear in no record of any topic and in no log line.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class OrthancEndToEndTest {

  private static final Path BUNDLE = Path.of("../model/testdata/tiny-random-bundle");
  private static final Path CH2 = Path.of("/usr/share/mricron/templates/ch2.nii.gz");
  private static final String NAME = "Quxwell^Zebediah";
  private static final String ID = "PID-7731-QX";
  private static final String BIRTH = "19230417";
  private static final Duration WAIT = Duration.ofSeconds(240);
  private static final int[] PROMPTED = {60, 90, 120};

  @RegisterExtension static final EmbeddedBroker BROKER = new EmbeddedBroker();

  @TempDir Path tmp;

  private final AvroCodec<ScanEvent> scans = AvroCodec.of(ScanEvent.class);

  @Test
  void aSeriesFromOrthancIsAnnouncedOnceEmbeddedSegmentedAndItsSegStoredBack() throws Exception {
    final Path jpeg2000 = ExternalTool.PYDICOM_TEST_FILES.resolve("JPEG2000.dcm");
    ExternalTool.require(CH2, "mricron-data");
    ExternalTool.require(jpeg2000, "python3-pydicom");
    ExternalTool.require(OrthancProcess.GDCM_PLUGIN, "orthanc-gdcm");
    final ListAppender<ILoggingEvent> logs = captureLogs();
    final PatientStudy patient =
        new PatientStudy("", NAME, ID, BIRTH, "F", "20260101", "101500", "ST1", "ACC1", "");
    final SourceSeries written =
        VolumeSeriesWriter.write(
            NiftiReader.read(CH2),
            SeriesSpec.create("MR", patient, "ch2 for the bridge", 0),
            tmp.resolve("ch2"));
    assertThat(written.images()).hasSize(181);
    final String bootstrap = BROKER.bootstrapServers();
    try (OrthancProcess orthanc = OrthancProcess.start(Files.createDirectories(tmp.resolve("o")))) {
      final OrthancClient client = orthanc.client();
      orthanc.cStore(tmp.resolve("ch2"));
      final String j2kInstance = client.storeInstance(Files.readAllBytes(jpeg2000));
      final PipelineWorkers.Settings settings =
          new PipelineWorkers.Settings(
              bootstrap,
              BUNDLE,
              tmp.resolve("data"),
              "e2e",
              new SimpleMeterRegistry(),
              UnaryOperator.identity(),
              ViewerAddress.DEFAULT,
              OrthancServers.parse(List.of("pacs=http://127.0.0.1:" + orthanc.httpPort())));
      try (PipelineWorkers serving =
          PipelineWorkers.start(EnumSet.of(Role.INGEST, Role.ENCODER, Role.DECODER), settings)) {
        assertThat(serving.awaitReady(Duration.ofSeconds(120))).isTrue();

        // the bridge announces the two series, once each
        final Map<String, ScanEvent> announced;
        try (PipelineWorkers bridge = PipelineWorkers.start(EnumSet.of(Role.ORTHANC), settings)) {
          assertThat(bridge.awaitReady(Duration.ofSeconds(60))).isTrue();
          announced = byOrthancSeries(readScans(bootstrap, 2));
        }
        final String ch2Series = seriesOfUid(client, written.seriesInstanceUid());
        final String j2kSeries = client.parentSeries(j2kInstance);
        assertThat(announced).containsOnlyKeys(ch2Series, j2kSeries);
        final ScanEvent ch2 = announced.get(ch2Series);
        assertThat(ch2.getSeriesUid()).isEqualTo(written.seriesInstanceUid());
        final String j2kUid = announced.get(j2kSeries).getSeriesUid();

        // every instance becomes an embedding, the JPEG 2000 one through Orthanc's transcoding
        final Set<String> expected = new HashSet<>();
        for (int k = 0; k < 181; k++) {
          expected.add(ch2.getSeriesUid() + "/axial/" + k);
        }
        expected.add(j2kUid + "/axial/0");
        assertThat(awaitKeys(bootstrap, Topics.EMBEDDINGS, expected)).containsAll(expected);

        // box prompts on three slices give masks
        final List<BinaryMask> masks =
            new ArrayList<>(
                Collections.nCopies(
                    written.images().size(), BinaryMask.empty(written.rows(), written.columns())));
        try (PipelineClient pipeline = PipelineClient.connect(bootstrap, Optional.empty())) {
          for (final int k : PROMPTED) {
            final ReceivedMask mask =
                pipeline.await(
                    pipeline.send(
                        ch2.getSeriesUid() + "/axial/" + k,
                        new PixelBox(40, 50, 140, 160),
                        "target"),
                    WAIT);
            assertThat(mask.ok()).as(mask.result().toString()).isTrue();
            assertThat(mask.mask().height()).isEqualTo(written.rows());
            assertThat(mask.mask().width()).isEqualTo(written.columns());
            masks.set(k, mask.mask());
          }
        }

        // a SEG of them, on the instances read back from Orthanc, stored back and valid
        final SourceSeries source =
            SourceSeriesReader.fromDataSets(
                new OrthancSeriesReader(client, "pacs").dataSets(ch2Series),
                "orthanc:pacs/series/" + ch2Series);
        assertThat(source.seriesInstanceUid()).isEqualTo(written.seriesInstanceUid());
        final byte[] seg =
            new SegmentationWriter(Clock.systemUTC(), "test")
                .write(
                    source,
                    List.of(Segment.of("target", masks)),
                    SegmentationSeries.create(301, "MedSAM masks", "tiny-random-bundle"));
        final String segId = client.storeInstance(seg);
        final Path back = tmp.resolve("seg-from-orthanc.dcm");
        Files.write(back, client.instanceFile(segId));
        assertThat(back).hasBinaryContent(seg);
        assertThat(ExternalTool.dciodvfyErrors(back)).isEmpty();

        // a restarted bridge announces only what came after it: not the SEG, not ch2 again
        final SourceSeries later = TestSeries.mr(tmp.resolve("later"), 2, patient);
        orthanc.cStore(tmp.resolve("later"));
        try (PipelineWorkers bridge = PipelineWorkers.start(EnumSet.of(Role.ORTHANC), settings)) {
          final List<ScanEvent> all = readScans(bootstrap, 3);
          assertThat(all)
              .extracting(ScanEvent::getSeriesUid)
              .containsExactlyInAnyOrder(ch2.getSeriesUid(), j2kUid, later.seriesInstanceUid());
        }
        final AvroCodec<DeadLetter> letters = AvroCodec.of(DeadLetter.class);
        assertThat(
                TopicScan.all(bootstrap, Topics.DEAD_LETTERS, false).stream()
                    .map(r -> letters.decode(r.value(), r.topic(), r.partition(), r.offset()))
                    .map(DeadLetter::getReason)
                    .toList())
            .isEmpty();
      }
    } finally {
      detach(logs);
    }
    assertNoPatientIdentifier(bootstrap, logs);
  }

  private List<ScanEvent> readScans(final String bootstrap, final int expected) {
    // the settle reads on for 3 s after the expected count: a duplicate would show
    final long[] reached = {0};
    final List<ConsumerRecord<byte[], byte[]>> read =
        TopicScan.until(
            bootstrap,
            Topics.SCANS,
            true,
            r -> {
              if (r.size() >= expected && reached[0] == 0) {
                reached[0] = System.nanoTime();
              }
              return reached[0] != 0 && System.nanoTime() - reached[0] > 3_000_000_000L;
            },
            WAIT);
    assertThat(read).hasSize(expected);
    return read.stream()
        .map(r -> scans.decode(r.value(), r.topic(), r.partition(), r.offset()))
        .toList();
  }

  private static Map<String, ScanEvent> byOrthancSeries(final List<ScanEvent> events) {
    return events.stream().collect(Collectors.toMap(e -> e.getOrthanc().getSeriesId(), e -> e));
  }

  private static String seriesOfUid(final OrthancClient client, final String uid) throws Exception {
    for (final String id : client.allSeries()) {
      if (client.series(id).seriesInstanceUid().equals(uid)) {
        return id;
      }
    }
    throw new AssertionError("no series " + uid);
  }

  private static Set<String> awaitKeys(
      final String bootstrap, final String topic, final Set<String> expected) {
    final Set<String> keys = new HashSet<>();
    TopicScan.until(
        bootstrap,
        topic,
        true,
        r -> {
          r.forEach(rec -> keys.add(new String(rec.key(), StandardCharsets.UTF_8)));
          return keys.containsAll(expected);
        },
        WAIT);
    return keys;
  }

  /** No record on any topic, aborted ones included, and no log line holds an identifier. */
  private static void assertNoPatientIdentifier(
      final String bootstrap, final ListAppender<ILoggingEvent> logs) {
    final List<byte[]> identifiers =
        List.of(
            NAME.getBytes(StandardCharsets.ISO_8859_1),
            "Quxwell".getBytes(StandardCharsets.ISO_8859_1),
            ID.getBytes(StandardCharsets.ISO_8859_1),
            BIRTH.getBytes(StandardCharsets.ISO_8859_1));
    int records = 0;
    for (final TopicSpec spec : Topics.all()) {
      for (final ConsumerRecord<byte[], byte[]> r : TopicScan.all(bootstrap, spec.name(), false)) {
        records++;
        for (final byte[] id : identifiers) {
          assertThat(contains(r.key(), id) || contains(r.value(), id))
              .as(
                  "%s record at %d-%d holds a patient identifier",
                  r.topic(), r.partition(), r.offset())
              .isFalse();
        }
      }
    }
    assertThat(records).isGreaterThan(181 * 2);
    final List<String> lines =
        logs.list.stream()
            .map(
                e ->
                    e.getFormattedMessage()
                        + (e.getThrowableProxy() == null
                            ? ""
                            : ThrowableProxyUtil.asString(e.getThrowableProxy())))
            .toList();
    assertThat(lines).anyMatch(l -> l.contains("announced Orthanc pacs series"));
    assertThat(lines).noneMatch(l -> l.contains("Quxwell") || l.contains(ID) || l.contains(BIRTH));
  }

  private static boolean contains(final byte[] haystack, final byte[] needle) {
    if (haystack == null) {
      return false;
    }
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private Level medsamLevel;

  /** Every log event of this JVM from now on, with io.medsam at DEBUG. */
  private ListAppender<ILoggingEvent> captureLogs() {
    final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.setContext(context);
    appender.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    medsamLevel = context.getLogger("io.medsam").getLevel();
    context.getLogger("io.medsam").setLevel(Level.DEBUG);
    return appender;
  }

  private void detach(final ListAppender<ILoggingEvent> appender) {
    final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
    context.getLogger("io.medsam").setLevel(medsamLevel);
  }
}
