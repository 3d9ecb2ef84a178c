package io.medsam.stream.avro.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.avro.SourceKind;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.junit.jupiter.api.Test;

/**
 * The Orthanc source of a ScanEvent (version 3) is a new optional field, not a new SourceKind
 * symbol, so the change is compatible in both directions: version 2 scans read with no Orthanc
 * source, and a version 2 reader that learns the new writer schema resolves an Orthanc scan as an
 * ordinary DICOM_SERIES whose sourceUri names no file (its ingest dead-letters it). A new enum
 * symbol would not resolve for that reader: Avro takes an enum default from the reader's schema,
 * which version 2 does not have.
 */
class OrthancSourceEvolutionTest {

  private static final List<Schema> HISTORY =
      SchemaHistory.fromClasspath().writerSchemas(ScanEvent.getClassSchema().getFullName());

  private static Schema version2() {
    return HISTORY.get(1);
  }

  @Test
  void version3IsCompatibleBothWaysWithEveryEarlierScanEvent() {
    assertThat(HISTORY).hasSizeGreaterThanOrEqualTo(3);
    assertThat(HISTORY.get(2)).isEqualTo(ScanEvent.getClassSchema());
    for (final Schema old : HISTORY.subList(0, 2)) {
      assertThat(
              SchemaCompatibility.checkReaderWriterCompatibility(ScanEvent.getClassSchema(), old)
                  .getType())
          .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
      assertThat(
              SchemaCompatibility.checkReaderWriterCompatibility(old, ScanEvent.getClassSchema())
                  .getType())
          .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }
  }

  @Test
  void aNewSourceKindSymbolWouldBreakVersion2ReadersEvenWithAnEnumDefault() {
    final String withSymbol =
        version2()
            .toString()
            .replace(
                "\"symbols\":[\"NIFTI\",\"DICOM_FILE\",\"DICOM_SERIES\",\"IMAGE_2D\"]",
                "\"symbols\":[\"NIFTI\",\"DICOM_FILE\",\"DICOM_SERIES\",\"IMAGE_2D\","
                    + "\"ORTHANC_SERIES\"],\"default\":\"DICOM_SERIES\"");
    final Schema alternative = new Schema.Parser().parse(withSymbol);
    assertThat(alternative.getField("sourceKind").schema().getEnumSymbols())
        .contains("ORTHANC_SERIES");
    assertThat(
            SchemaCompatibility.checkReaderWriterCompatibility(version2(), alternative).getType())
        .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
  }

  @Test
  void version2ScansHaveNoOrthancSource() throws Exception {
    final Schema old = version2();
    assertThat(old.getField("orthanc")).isNull();
    final ScanEvent current = SampleRecords.scan();
    final GenericRecord record = new GenericData.Record(old);
    for (final Schema.Field field : old.getFields()) {
      final Object value = current.get(field.name());
      record.put(
          field.name(),
          value instanceof java.time.Instant instant ? instant.toEpochMilli() : value);
    }
    final ByteBuffer payload =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), old).encode(record);
    final byte[] bytes = new byte[payload.remaining()];
    payload.get(bytes);

    final ScanEvent read = AvroCodec.of(ScanEvent.class).decode(bytes, "medsam.scans.v1", 0, 1L);
    assertThat(read.getOrthanc()).isNull();
    assertThat(read.getSourceUri()).isEqualTo(current.getSourceUri());
    assertThat(read.getSlices()).isEqualTo(current.getSlices());
  }

  @Test
  void version2ReaderReadsAnOrthancScanAsADicomSeriesWithoutAFile() throws Exception {
    final ScanEvent orthanc =
        ScanEvent.newBuilder(SampleRecords.scan())
            .setSourceKind(SourceKind.DICOM_SERIES)
            .setSourceUri("orthanc:pacs/series/" + SampleRecords.scan().getOrthanc().getSeriesId())
            .build();
    final SchemaStore.Cache store = new SchemaStore.Cache();
    store.addSchema(ScanEvent.getClassSchema());
    final GenericRecord read =
        new BinaryMessageDecoder<GenericRecord>(GenericData.get(), version2(), store)
            .decode(AvroCodec.of(ScanEvent.class).encode(orthanc));
    assertThat(read.getSchema()).isEqualTo(version2());
    assertThat(read.get("sourceKind").toString()).isEqualTo("DICOM_SERIES");
    assertThat(read.get("sourceUri").toString()).startsWith("orthanc:pacs/series/");
  }
}
