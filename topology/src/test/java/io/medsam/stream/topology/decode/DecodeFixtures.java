package io.medsam.stream.topology.decode;

import io.medsam.stream.avro.Box;
import io.medsam.stream.avro.BoxPrompt;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.avro.serde.AvroSerde;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/** Records and in-memory join state for the decode parts' unit tests (no topology, no driver). */
final class DecodeFixtures {

  static final Instant REQUESTED = Instant.parse("2026-01-01T00:00:00Z");

  private DecodeFixtures() {}

  static BoxPrompt prompt(
      final String id,
      final String slice,
      final float x0,
      final float y0,
      final float x1,
      final float y1) {
    return BoxPrompt.newBuilder()
        .setPromptId(id)
        .setSliceKey(slice)
        .setBox(new Box(x0, y0, x1, y1))
        .setLabel("liver")
        .setRequestedAt(REQUESTED)
        .build();
  }

  /** A 2 x 2 x 2 float16 embedding of an {@code height x width} slice. */
  static SliceEmbedding embedding(final String slice, final int height, final int width) {
    return SliceEmbedding.newBuilder()
        .setSliceKey(slice)
        .setSeriesUid(slice.substring(0, slice.indexOf('/')))
        .setEncoderModelId("enc-A")
        .setShape(List.of(2, 2, 2))
        .setDtype("float16")
        .setData(ByteBuffer.wrap(new byte[16]))
        .setImageHeight(height)
        .setImageWidth(width)
        .setPixelSpacingRow(1.0)
        .setPixelSpacingCol(1.0)
        .setEncodeMillis(1.0)
        .setEncodedAt(REQUESTED)
        .build();
  }

  static PendingPrompt pending(final BoxPrompt prompt, final long receivedAtMs, final long offset) {
    return new PendingPrompt(prompt, receivedAtMs, 0, offset);
  }

  /** A processor context with the decode topology's three stores, in memory, unlogged. */
  static MockProcessorContext<String, SpecificRecord> contextWithStores() {
    final MockProcessorContext<String, SpecificRecord> context = new MockProcessorContext<>();
    add(context, DecodeTopology.EMBEDDING_STORE, AvroSerde.of(SliceEmbedding.class));
    add(context, DecodeTopology.PENDING_STORE, new PendingPromptSerde());
    add(context, DecodeTopology.READY_STORE, new PendingPromptSerde());
    return context;
  }

  private static <V> void add(
      final MockProcessorContext<String, SpecificRecord> context,
      final String name,
      final Serde<V> serde) {
    final KeyValueStore<String, V> store =
        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), serde)
            .withLoggingDisabled()
            .build();
    store.init(context.getStateStoreContext(), store);
    context.addStateStore(store);
  }
}
