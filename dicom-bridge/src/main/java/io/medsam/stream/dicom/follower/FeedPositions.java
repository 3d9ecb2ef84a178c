package io.medsam.stream.dicom.follower;

import io.medsam.stream.avro.OrthancPosition;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.avro.serde.RecordDecodingException;
import io.medsam.stream.topology.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The bridge's positions in the change feeds, kept on the compacted {@link
 * Topics#ORTHANC_POSITIONS} (key: the Orthanc's name). Read whole, read_committed, at start, after
 * the producer's {@code initTransactions} has aborted whatever a crashed predecessor left open:
 * what is read is exactly what was committed with the ScanEvents.
 */
final class FeedPositions {

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  private FeedPositions() {}

  /**
   * Assigns the consumer every partition of the positions topic and reads it to its end.
   *
   * @return the last committed position of each Orthanc (absent: never followed, or its key was
   *     deleted with a tombstone; start at 0)
   * @throws IllegalStateException when a position cannot be decoded or the read times out
   */
  static Map<String, Long> read(
      final Consumer<byte[], byte[]> consumer,
      final AvroCodec<OrthancPosition> codec,
      final Clock clock) {
    final List<TopicPartition> partitions =
        consumer.partitionsFor(Topics.ORTHANC_POSITIONS).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
    final Map<String, Long> positions = new HashMap<>();
    final Instant deadline = clock.instant().plus(READ_TIMEOUT);
    while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
      if (clock.instant().isAfter(deadline)) {
        throw new IllegalStateException(
            "could not read " + Topics.ORTHANC_POSITIONS + " to its end in " + READ_TIMEOUT);
      }
      for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        if (r.value() == null && r.key() != null) {
          // a tombstone: follow that Orthanc from its first change again (a recreated database)
          positions.remove(new String(r.key(), StandardCharsets.UTF_8));
          continue;
        }
        try {
          final OrthancPosition p = codec.decode(r.value(), r.topic(), r.partition(), r.offset());
          positions.put(p.getServer(), p.getLastChange());
        } catch (final RecordDecodingException e) {
          // a lost position would announce series again: refuse to start instead
          throw new IllegalStateException("unreadable feed position: " + e.getMessage(), e);
        }
      }
    }
    return positions;
  }

  /** The position record committed after the changes up to {@code lastChange}. */
  static OrthancPosition of(
      final String server, final long lastChange, final int announced, final Instant now) {
    return OrthancPosition.newBuilder()
        .setServer(server)
        .setLastChange(lastChange)
        .setSeriesAnnounced(announced)
        .setUpdatedAt(now)
        .build();
  }
}
