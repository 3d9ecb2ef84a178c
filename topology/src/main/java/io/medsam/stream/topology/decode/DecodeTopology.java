package io.medsam.stream.topology.decode;

import io.medsam.stream.avro.DeadLetter;
import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.avro.serde.AvroSerde;
import io.medsam.stream.topology.Topics;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The decode topology: medsam.prompts.v1 joined with medsam.embeddings.v1 by sliceKey (the topics
 * are co-partitioned, so there is no repartition), decoded in batches by a {@link MaskDecoder},
 * answered on medsam.masks.v1; undecodable records and decoder failures also go to
 * medsam.dead-letters.v1.
 *
 * <p>Both inputs are consumed as bytes and decoded inside the processor, so a record that does not
 * decode becomes a dead letter naming its topic, partition and offset instead of stopping the
 * stream.
 */
public final class DecodeTopology {

  /** Input: box prompts, key sliceKey. */
  public static final String PROMPTS_TOPIC = Topics.PROMPTS;

  /** Input: slice embeddings (compacted), key sliceKey. */
  public static final String EMBEDDINGS_TOPIC = Topics.EMBEDDINGS;

  /** Output: one MaskResult per prompt, key sliceKey. */
  public static final String MASKS_TOPIC = Topics.MASKS;

  /** Output: records and requests that could not be processed. */
  public static final String DEAD_LETTERS_TOPIC = Topics.DEAD_LETTERS;

  /** Latest embedding per sliceKey (RocksDB, changelogged). */
  public static final String EMBEDDING_STORE = "decode-embeddings";

  /** Prompts waiting for their embedding, key sliceKey NUL promptId. */
  public static final String PENDING_STORE = "decode-pending-prompts";

  /** Prompts paired with an embedding, waiting for the next decoder batch. */
  public static final String READY_STORE = "decode-ready-prompts";

  /** Changelog records carry whole embeddings (about 2 MiB for MedSAM ViT-B in fp16). */
  static final String CHANGELOG_MAX_MESSAGE_BYTES = String.valueOf(Topics.EMBEDDING_MAX_BYTES);

  private DecodeTopology() {}

  /**
   * Adds the decode topology to a builder.
   *
   * @param builder the builder to add to
   * @param config decoder, timeout and batching settings
   */
  public static void build(final StreamsBuilder builder, final DecodeTopologyConfig config) {
    final Map<String, String> changelog = Map.of("max.message.bytes", CHANGELOG_MAX_MESSAGE_BYTES);
    final StoreBuilder<KeyValueStore<String, SliceEmbedding>> embeddingStore =
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(EMBEDDING_STORE),
                Serdes.String(),
                AvroSerde.of(SliceEmbedding.class))
            .withLoggingEnabled(changelog)
            .withCachingDisabled();
    builder.addStateStore(embeddingStore);
    builder.addStateStore(promptStore(PENDING_STORE, changelog));
    builder.addStateStore(promptStore(READY_STORE, changelog));

    final KStream<String, byte[]> prompts =
        builder.stream(
            PROMPTS_TOPIC,
            Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("prompts-source"));
    final KStream<String, byte[]> embeddings =
        builder.stream(
            EMBEDDINGS_TOPIC,
            Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("embeddings-source"));

    final KStream<String, SpecificRecord> out =
        prompts
            .merge(embeddings, Named.as("prompts-and-embeddings"))
            .process(
                () -> new DecodeJoinProcessor(config),
                Named.as("decode-join"),
                EMBEDDING_STORE,
                PENDING_STORE,
                READY_STORE);
    out.filter((k, v) -> v instanceof MaskResult, Named.as("mask-results"))
        .mapValues(v -> (MaskResult) v, Named.as("as-mask-result"))
        .to(
            MASKS_TOPIC,
            Produced.with(Serdes.String(), AvroSerde.of(MaskResult.class)).withName("masks-sink"));
    out.filter((k, v) -> v instanceof DeadLetter, Named.as("dead-letters"))
        .mapValues(v -> (DeadLetter) v, Named.as("as-dead-letter"))
        .to(
            DEAD_LETTERS_TOPIC,
            Produced.with(Serdes.String(), AvroSerde.of(DeadLetter.class))
                .withName("dead-letters-sink"));
  }

  private static StoreBuilder<KeyValueStore<String, PendingPrompt>> promptStore(
      final String name, final Map<String, String> changelog) {
    return Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(name), Serdes.String(), new PendingPromptSerde())
        .withLoggingEnabled(changelog)
        .withCachingDisabled();
  }
}
