package io.medsam.stream.topology.walk;

import io.medsam.stream.avro.BoxPrompt;
import io.medsam.stream.avro.DeadLetter;
import io.medsam.stream.avro.VolumeMask;
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
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The walk topology: VolumePrompts (key seriesUid) walked slice by slice through the decode
 * topology's own topics. Each step is a BoxPrompt on medsam.prompts.v1 (key sliceKey, marked with
 * the walk's id), decoded by the unchanged prompt ⋈ embedding join (with its timeout); the step's
 * MaskResult on medsam.masks.v1 is picked out, re-keyed by series (one internal repartition topic,
 * {@value #STEPS_REPARTITION}) and meets the walk's state; the answer is one VolumeMask on
 * medsam.volume-masks.v1 (key seriesUid). Runs in the decoder's Kafka Streams application
 * (exactly_once_v2), beside {@code DecodeTopology}.
 */
public final class VolumeWalkTopology {

  /** Input: 3D box prompts, key seriesUid. */
  public static final String VOLUME_PROMPTS_TOPIC = Topics.VOLUME_PROMPTS;

  /** Input (walk steps only) and, through the decode topology, output: key sliceKey. */
  public static final String MASKS_TOPIC = Topics.MASKS;

  /** Output: one BoxPrompt per step, key sliceKey. */
  public static final String PROMPTS_TOPIC = Topics.PROMPTS;

  /** Output: one VolumeMask per VolumePrompt, key seriesUid. */
  public static final String VOLUME_MASKS_TOPIC = Topics.VOLUME_MASKS;

  /** Output: what could not be walked. */
  public static final String DEAD_LETTERS_TOPIC = Topics.DEAD_LETTERS;

  /** Walks in progress and finished walks' identities, key seriesUid NUL promptId. */
  public static final String WALK_STORE = "walk-state";

  /** Name of the repartition of walk-step results by series. */
  public static final String STEPS_REPARTITION = "walk-steps";

  private VolumeWalkTopology() {}

  /**
   * Adds the walk topology to a builder (which also holds the decode topology, or whose application
   * runs beside one).
   *
   * @param builder the builder to add to
   * @param config retention of finished walks
   */
  public static void build(final StreamsBuilder builder, final VolumeWalkConfig config) {
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(WALK_STORE), Serdes.String(), new WalkStateSerde())
            .withLoggingEnabled(Map.of("max.message.bytes", String.valueOf(Topics.MASK_MAX_BYTES)))
            .withCachingDisabled());

    final KStream<String, byte[]> prompts =
        builder.stream(
            VOLUME_PROMPTS_TOPIC,
            Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("volume-prompts-source"));
    final KStream<String, byte[]> steps =
        builder.stream(
                MASKS_TOPIC,
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("walk-masks-source"))
            .process(WalkStepRouter::new, Named.as("walk-step-router"))
            .repartition(
                Repartitioned.with(Serdes.String(), Serdes.ByteArray())
                    .withName(STEPS_REPARTITION));

    final KStream<String, SpecificRecord> out =
        prompts
            .merge(steps, Named.as("volume-prompts-and-steps"))
            .process(() -> new WalkProcessor(config), Named.as("walker"), WALK_STORE);
    out.filter((k, v) -> v instanceof BoxPrompt, Named.as("walk-step-prompts"))
        .mapValues(v -> (BoxPrompt) v, Named.as("as-box-prompt"))
        .to(
            PROMPTS_TOPIC,
            Produced.with(Serdes.String(), AvroSerde.of(BoxPrompt.class))
                .withName("walk-prompts-sink"));
    out.filter((k, v) -> v instanceof VolumeMask, Named.as("volume-masks"))
        .mapValues(v -> (VolumeMask) v, Named.as("as-volume-mask"))
        .to(
            VOLUME_MASKS_TOPIC,
            Produced.with(Serdes.String(), AvroSerde.of(VolumeMask.class))
                .withName("volume-masks-sink"));
    out.filter((k, v) -> v instanceof DeadLetter, Named.as("walk-dead-letters"))
        .mapValues(v -> (DeadLetter) v, Named.as("as-walk-dead-letter"))
        .to(
            DEAD_LETTERS_TOPIC,
            Produced.with(Serdes.String(), AvroSerde.of(DeadLetter.class))
                .withName("walk-dead-letters-sink"));
  }
}
