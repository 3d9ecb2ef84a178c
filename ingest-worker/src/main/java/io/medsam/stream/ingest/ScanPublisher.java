package io.medsam.stream.ingest;

import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.avro.SourceKind;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.topology.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes a ScanEvent for a local path (what {@code medsam ingest PATH} does). The worker, not
 * the publisher, reads the pixels: a path that exists but is corrupt is still published and comes
 * back as a DeadLetter.
 */
public final class ScanPublisher implements AutoCloseable {

  private final KafkaProducer<byte[], byte[]> producer;
  private final AvroCodec<ScanEvent> codec = AvroCodec.of(ScanEvent.class);

  /** An idempotent producer to {@code bootstrapServers}. */
  public ScanPublisher(final String bootstrapServers) {
    this.producer =
        new KafkaProducer<>(
            ClientConfigs.producer(bootstrapServers),
            new ByteArraySerializer(),
            new ByteArraySerializer());
  }

  /**
   * Describes {@code source} as a ScanEvent without publishing it.
   *
   * @param source a NIfTI file, DICOM file, DICOM series folder, PNG or JPEG
   * @param modality CT, MR, PET, XRAY, US, ENDO, PATH, ...; null: "OT" (unknown; normalized by
   *     percentiles like every non-CT modality). DICOM readers use the file's own Modality tag when
   *     the event says "OT".
   * @param axis axial, coronal, sagittal or all (volumes); ignored for 2D images (axis "2d")
   */
  public static ScanEvent describe(final Path source, final String modality, final String axis)
      throws IOException {
    return describe(source, modality, axis, null);
  }

  /**
   * As {@link #describe(Path, String, String)}, asking ingest for only {@code slices} on each axis.
   *
   * @param slices slice indices to publish on each axis, in this order; null: every slice
   */
  public static ScanEvent describe(
      final Path source, final String modality, final String axis, final List<Integer> slices)
      throws IOException {
    final SourceKind kind = ScanSources.detect(source);
    final Path absolute = source.toAbsolutePath().normalize();
    return ScanEvent.newBuilder()
        .setScanId(UUID.randomUUID().toString())
        .setSeriesUid(SeriesIds.of(absolute, kind))
        .setSourceUri(absolute.toString())
        .setSourceKind(kind)
        .setModality(modality == null ? "OT" : modality.toUpperCase(Locale.ROOT))
        .setAxes(kind == SourceKind.IMAGE_2D ? List.of("2d") : axes(axis))
        .setCtWindowLow(null)
        .setCtWindowHigh(null)
        .setSlices(slices == null ? null : List.copyOf(slices))
        .setRequestedAt(Instant.now())
        .build();
  }

  /** Expands "all" to the three anatomical axes; validates the name. */
  public static List<String> axes(final String axis) {
    final String a = axis == null ? "axial" : axis.toLowerCase(Locale.ROOT);
    return switch (a) {
      case "all" -> List.of("axial", "coronal", "sagittal");
      case "axial", "coronal", "sagittal", "2d" -> List.of(a);
      default ->
          throw new IllegalArgumentException(
              "axis must be axial, coronal, sagittal or all, not " + axis);
    };
  }

  /** Publishes {@code event} keyed by its series UID and waits for the broker's acknowledgement. */
  public void publish(final ScanEvent event) throws IOException {
    try {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.SCANS,
                  event.getSeriesUid().getBytes(StandardCharsets.UTF_8),
                  codec.encode(event)))
          .get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while publishing scan " + event.getScanId(), e);
    } catch (ExecutionException e) {
      throw new IOException("publishing scan " + event.getScanId() + " failed", e.getCause());
    }
  }

  /** Describes and publishes {@code source}; returns the event sent. */
  public ScanEvent publish(final Path source, final String modality, final String axis)
      throws IOException {
    final ScanEvent event = describe(source, modality, axis);
    publish(event);
    return event;
  }

  @Override
  public void close() {
    producer.close();
  }
}
