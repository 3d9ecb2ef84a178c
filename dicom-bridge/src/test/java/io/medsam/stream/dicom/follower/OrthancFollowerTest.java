package io.medsam.stream.dicom.follower;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.avro.OrthancPosition;
import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.avro.SourceKind;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.dicom.orthanc.OrthancClient;
import io.medsam.stream.dicom.orthanc.OrthancServers;
import io.medsam.stream.dicom.seg.SourceSeries;
import io.medsam.stream.dicom.testing.OrthancProcess;
import io.medsam.stream.dicom.testing.TestSeries;
import io.medsam.stream.topology.Topics;
import io.medsam.stream.topology.testing.InProcessKafkaExtension;
import io.medsam.stream.topology.testing.TopicReader;
import io.medsam.stream.topology.worker.WorkerState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge on an in-process broker against a real Orthanc fed over C-STORE: a follower killed
 * between sending and committing leaves nothing a read_committed reader sees, and its successor
 * announces the series once; a SEG stored back is not announced; a restarted follower announces
 * only the series that came after it stopped; after a tombstone for the Orthanc's position, the
 * feed is followed from its start again.
 */
class OrthancFollowerTest {

  @RegisterExtension static final InProcessKafkaExtension kafka = new InProcessKafkaExtension();

  @TempDir Path tmp;

  private final AvroCodec<ScanEvent> scans = AvroCodec.of(ScanEvent.class);

  @Test
  void everyStableImageSeriesIsAnnouncedOnceAcrossACrashAndARestart() throws Exception {
    try (OrthancProcess orthanc = OrthancProcess.start(Files.createDirectories(tmp.resolve("o")))) {
      final OrthancServers servers =
          OrthancServers.parse(List.of("test=http://127.0.0.1:" + orthanc.httpPort()));
      final OrthancClient client = orthanc.client();
      final SourceSeries first = TestSeries.mr(tmp.resolve("a"), 4, TestSeries.patient());
      orthanc.cStore(tmp.resolve("a"));

      final OrthancFollower killed =
          follower(
              servers,
              (server, events) -> {
                if (!events.isEmpty()) {
                  throw new IllegalStateException("killed between send and commit");
                }
              });
      killed.start();
      assertThat(killed.awaitStopped(Duration.ofSeconds(60))).isTrue();
      assertThat(killed.state()).isEqualTo(WorkerState.FAILED);
      killed.close();
      assertThat(read(false, 1))
          .as("the killed follower's ScanEvent reached the log, uncommitted")
          .hasSize(1);

      final OrthancFollower successor = follower(servers, (server, events) -> {});
      successor.start();
      final List<ScanEvent> once = read(true, 1);
      assertThat(once).hasSize(1);
      final ScanEvent event = once.get(0);
      assertThat(event.getSeriesUid()).isEqualTo(first.seriesInstanceUid());
      assertThat(event.getSourceKind()).isEqualTo(SourceKind.DICOM_SERIES);
      assertThat(event.getModality()).isEqualTo("MR");
      assertThat(event.getOrthanc().getServer()).isEqualTo("test");
      assertThat(client.series(event.getOrthanc().getSeriesId()).seriesInstanceUid())
          .isEqualTo(first.seriesInstanceUid());
      assertThat(event.getSourceUri())
          .isEqualTo("orthanc:test/series/" + event.getOrthanc().getSeriesId());

      client.storeInstance(TestSeries.seg(first)); // a SEG is no image series: not announced
      final SourceSeries second = TestSeries.mr(tmp.resolve("b"), 3, TestSeries.patient());
      orthanc.cStore(tmp.resolve("b"));
      assertThat(read(true, 2))
          .extracting(ScanEvent::getSeriesUid)
          .containsExactly(first.seriesInstanceUid(), second.seriesInstanceUid());
      successor.close();
      assertThat(successor.state()).isEqualTo(WorkerState.STOPPED);

      final OrthancFollower restarted = follower(servers, (server, events) -> {});
      restarted.start();
      final SourceSeries third = TestSeries.mr(tmp.resolve("c"), 2, TestSeries.patient());
      orthanc.cStore(tmp.resolve("c"));
      // the feed is followed in order: once the third is announced, nothing before it came again
      assertThat(read(true, 3))
          .extracting(ScanEvent::getSeriesUid)
          .containsExactly(
              first.seriesInstanceUid(), second.seriesInstanceUid(), third.seriesInstanceUid());
      restarted.close();

      final AvroCodec<OrthancPosition> positions = AvroCodec.of(OrthancPosition.class);
      final List<ConsumerRecord<byte[], byte[]>> kept =
          TopicReader.readAll(
              kafka.bootstrapServers(),
              Topics.ORTHANC_POSITIONS,
              true,
              1,
              Duration.ofMillis(500),
              Duration.ofSeconds(30));
      final ConsumerRecord<byte[], byte[]> last = kept.get(kept.size() - 1);
      assertThat(new String(last.key(), StandardCharsets.UTF_8)).isEqualTo("test");
      assertThat(positions.decode(last.value(), last.topic(), 0, last.offset()).getLastChange())
          .isEqualTo(client.changes(0, 1000).last());

      // a tombstone for the Orthanc's name (a recreated database) follows it from the start again
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(
              Map.of("bootstrap.servers", kafka.bootstrapServers()),
              new ByteArraySerializer(),
              new ByteArraySerializer())) {
        producer
            .send(
                new ProducerRecord<>(
                    Topics.ORTHANC_POSITIONS, "test".getBytes(StandardCharsets.UTF_8), null))
            .get();
      }
      final OrthancFollower fromStart = follower(servers, (server, events) -> {});
      fromStart.start();
      assertThat(read(true, 6)).hasSize(6);
      fromStart.close();
    }
  }

  private OrthancFollower follower(
      final OrthancServers servers, final OrthancFollower.BeforeCommit beforeCommit) {
    return new OrthancFollower(
        kafka.bootstrapServers(),
        servers,
        Map.of(),
        new SimpleMeterRegistry(),
        Clock.systemUTC(),
        beforeCommit);
  }

  private List<ScanEvent> read(final boolean committed, final int expected) {
    return TopicReader.readAll(
            kafka.bootstrapServers(),
            Topics.SCANS,
            committed,
            expected,
            Duration.ofSeconds(2),
            Duration.ofSeconds(60))
        .stream()
        .sorted(java.util.Comparator.comparingLong(ConsumerRecord::timestamp))
        .map(r -> scans.decode(r.value(), r.topic(), r.partition(), r.offset()))
        .toList();
  }
}
