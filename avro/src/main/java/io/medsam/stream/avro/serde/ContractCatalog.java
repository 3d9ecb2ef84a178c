package io.medsam.stream.avro.serde;

import io.medsam.stream.avro.BoxPrompt;
import io.medsam.stream.avro.Correction;
import io.medsam.stream.avro.DeadLetter;
import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.avro.ImageSlice;
import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.OrthancPosition;
import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.avro.TrainerStatus;
import io.medsam.stream.avro.VolumeMask;
import io.medsam.stream.avro.VolumePrompt;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The top-level record types that travel on MedSAM Stream topics, and the schema fingerprints
 * (current and historical) of each, so that a payload of the wrong type can be named.
 */
public final class ContractCatalog {

  /** Every record type that is the value of a topic. */
  public static final List<Class<? extends SpecificRecord>> TOPIC_RECORD_TYPES =
      List.of(
          ScanEvent.class,
          ImageSlice.class,
          SliceEmbedding.class,
          BoxPrompt.class,
          MaskResult.class,
          Correction.class,
          DecoderWeights.class,
          DeadLetter.class,
          VolumePrompt.class,
          VolumeMask.class,
          TrainerStatus.class,
          OrthancPosition.class);

  private static final Map<Long, String> NAMES_BY_FINGERPRINT = index();

  private ContractCatalog() {}

  private static Map<Long, String> index() {
    final Map<Long, String> names = new HashMap<>();
    for (final Class<? extends SpecificRecord> type : TOPIC_RECORD_TYPES) {
      final Schema current = SpecificData.get().getSchema(type);
      names.put(fingerprint(current), current.getFullName());
      for (final Schema old : SchemaHistory.fromClasspath().writerSchemas(current.getFullName())) {
        names.put(fingerprint(old), old.getFullName());
      }
    }
    return Map.copyOf(names);
  }

  /** The 64-bit CRC-64-AVRO fingerprint of the schema's parsing canonical form. */
  public static long fingerprint(final Schema schema) {
    return SchemaNormalization.parsingFingerprint64(schema);
  }

  /** The full name of the record type whose (current or historical) schema has this fingerprint. */
  public static Optional<String> recordNameFor(final long fingerprint) {
    return Optional.ofNullable(NAMES_BY_FINGERPRINT.get(fingerprint));
  }
}
