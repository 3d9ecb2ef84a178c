package io.medsam.stream.trainer.intake;

import io.medsam.stream.avro.DeadLetter;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.avro.serde.RecordDecodingException;
import io.medsam.stream.trainer.replay.TopicReplay;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The trainer's own past rejections, read back from the dead-letter topic at start: a replayed
 * correction found here is skipped without a second dead letter, so replay neither trains on a
 * rejected correction nor rejects it twice.
 */
public final class DeadLetterLedger {

  /** The component name the trainer writes into its dead letters. */
  public static final String COMPONENT = "trainer";

  private final Set<String> entries;

  private DeadLetterLedger(final Set<String> entries) {
    this.entries = entries;
  }

  /** An empty ledger. */
  public static DeadLetterLedger empty() {
    return new DeadLetterLedger(new HashSet<>());
  }

  /**
   * Reads every trainer dead letter from the topic, up to its end at the time of the call.
   *
   * @param consumerConfig consumer settings (bootstrap servers and sizes)
   */
  public static DeadLetterLedger read(
      final Map<String, Object> consumerConfig, final String topic, final Duration timeout) {
    final AvroCodec<DeadLetter> codec = AvroCodec.of(DeadLetter.class);
    final Set<String> entries = new HashSet<>();
    TopicReplay.toEnd(
        consumerConfig,
        topic,
        timeout,
        r -> {
          if (r.value() == null) {
            return;
          }
          try {
            final DeadLetter dl = codec.decode(r.value(), r.topic(), r.partition(), r.offset());
            if (COMPONENT.equals(dl.getComponent())) {
              entries.add(id(dl.getSourceTopic(), dl.getSourcePartition(), dl.getSourceOffset()));
            }
          } catch (RecordDecodingException e) {
            // not one of ours: another component's problem, nothing to remember
          }
        });
    return new DeadLetterLedger(entries);
  }

  /** True when the trainer has already dead-lettered this source record. */
  public synchronized boolean contains(final String topic, final int partition, final long offset) {
    return entries.contains(id(topic, partition, offset));
  }

  /** Remembers a dead letter sent now. */
  public synchronized void record(final String topic, final int partition, final long offset) {
    entries.add(id(topic, partition, offset));
  }

  private static String id(final String topic, final int partition, final long offset) {
    return topic + ":" + partition + ":" + offset;
  }
}
