package io.medsam.stream.ingest;

import io.medsam.stream.avro.ImageSlice;
import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.topology.TopicSpec;
import io.medsam.stream.topology.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One consumed scans record to what the ingest worker sends for it: the scan's slice records, or
 * the reason and payload of its one dead letter. Every failure of this record (an undecodable
 * value, an unreadable, refused or too large source, any runtime exception or an {@link
 * OutOfMemoryError} while reading, slicing or encoding it) becomes a rejection; only an Orthanc
 * that does not answer is thrown, to be read again. A rejection of a file scan carries the scan
 * with its sourceUri removed (the path stays on medsam.scans.v1 only, found by the dead letter's
 * source offset), and its reason names the file only by a hash.
 */
final class ScanIngestion {

  /** Bytes a record adds to its key and value in a batch of its own (headers, varints). */
  static final int RECORD_OVERHEAD = 128;

  private final ScanSlicer slicer;
  private final int sliceMaxBytes;
  private final AvroCodec<ScanEvent> scanCodec = AvroCodec.of(ScanEvent.class);
  private final AvroCodec<ImageSlice> sliceCodec = AvroCodec.of(ImageSlice.class);

  /** What to send for one scan: slices, or a dead letter's reason and payload. */
  record Outcome(
      ScanEvent scan,
      List<ProducerRecord<byte[], byte[]>> slices,
      Throwable reason,
      byte[] payload) {

    boolean rejected() {
      return reason != null;
    }
  }

  /**
   * @param slicer reads and slices a scan
   * @param sliceMaxBytes the slices topic's {@code max.message.bytes}
   */
  ScanIngestion(final ScanSlicer slicer, final int sliceMaxBytes) {
    this.slicer = slicer;
    this.sliceMaxBytes = sliceMaxBytes;
  }

  /** The slices topic's {@code max.message.bytes}, from topology's topic specs. */
  static int sliceTopicMaxBytes() {
    return Topics.all().stream()
        .filter(t -> t.name().equals(Topics.SLICES))
        .mapToInt(TopicSpec::maxMessageBytes)
        .findFirst()
        .orElseThrow();
  }

  /**
   * @throws OrthancUnavailableException when the scan's Orthanc does not answer
   */
  Outcome process(final ConsumerRecord<byte[], byte[]> record) throws OrthancUnavailableException {
    final ScanEvent scan;
    try {
      scan = scanCodec.decode(record.value(), record.topic(), record.partition(), record.offset());
    } catch (RuntimeException | OutOfMemoryError e) { // RecordDecodingException and any other
      return new Outcome(null, List.of(), e, record.value());
    }
    try {
      final List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
      for (final ImageSlice slice : slicer.slice(scan)) {
        final byte[] key = slice.getSliceKey().getBytes(StandardCharsets.UTF_8);
        final byte[] value = sliceCodec.encode(slice);
        final long size = (long) key.length + value.length + RECORD_OVERHEAD;
        if (size > sliceMaxBytes) {
          throw new ScanTooLargeException(
              "slice "
                  + slice.getSliceKey()
                  + " ("
                  + slice.getHeight()
                  + "x"
                  + slice.getWidth()
                  + "x"
                  + slice.getChannels()
                  + ") makes a record of "
                  + size
                  + " bytes, more than "
                  + Topics.SLICES
                  + " takes (max.message.bytes "
                  + sliceMaxBytes
                  + ")");
        }
        out.add(new ProducerRecord<>(Topics.SLICES, key, value));
      }
      return new Outcome(scan, out, null, null);
    } catch (UnreadableScanException e) {
      return rejection(scan, e);
    } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
      return rejection(
          scan,
          new UnreadableScanException(
              "scan "
                  + scan.getScanId()
                  + " failed: "
                  + e.getClass().getName()
                  + ": "
                  + withoutSource(scan, e.getMessage())));
    }
  }

  private Outcome rejection(final ScanEvent scan, final Throwable reason) {
    if (scan.getOrthanc() != null) {
      return new Outcome(scan, List.of(), reason, scanCodec.encode(scan));
    }
    final ScanEvent withoutPath =
        ScanEvent.newBuilder(scan).setSourceUri("(path removed; see the source offset)").build();
    return new Outcome(scan, List.of(), reason, scanCodec.encode(withoutPath));
  }

  /** {@code message} without the scan's source path or its file name. */
  private static String withoutSource(final ScanEvent scan, final String message) {
    if (message == null || scan.getOrthanc() != null) {
      return message;
    }
    final String uri = scan.getSourceUri();
    final int slash = uri.lastIndexOf('/');
    final String file = slash >= 0 ? uri.substring(slash + 1) : uri;
    final String scrubbed = message.replace(uri, "<source>");
    return file.length() > 1 ? scrubbed.replace(file, "<source>") : scrubbed;
  }
}
