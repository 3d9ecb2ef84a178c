package io.medsam.stream.avro.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** The shipped history is complete: its newest entry is what the current code writes. */
class SchemaHistoryTest {

  @Test
  void newestHistoricalSchemaOfEveryTopicRecordIsTheCurrentSchema() {
    for (final Class<? extends SpecificRecord> type : ContractCatalog.TOPIC_RECORD_TYPES) {
      final Schema current = SpecificData.get().getSchema(type);
      final List<Schema> history =
          SchemaHistory.fromClasspath().writerSchemas(current.getFullName());
      assertThat(history)
          .as(
              "avro/src/main/resources/avro-history/%s/%d.avsc must hold the current schema:%n%s",
              type.getSimpleName(), history.size() + 1, current.toString(true))
          .isNotEmpty();
      assertThat(history.get(history.size() - 1))
          .as(
              "add the current schema of %s as avro-history/%s/%d.avsc:%n%s",
              type.getName(), type.getSimpleName(), history.size() + 1, current.toString(true))
          .isEqualTo(current);
      assertThat(ContractCatalog.recordNameFor(ContractCatalog.fingerprint(current)))
          .contains(current.getFullName());
      AvroCodec.of(type);
    }
  }

  @Test
  void missingHistoryIsEmpty() {
    assertThat(SchemaHistory.fromClasspath().writerSchemas("io.medsam.stream.avro.Box")).isEmpty();
  }
}
