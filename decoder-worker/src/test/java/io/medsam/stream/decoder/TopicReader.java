package io.medsam.stream.decoder;

import io.medsam.stream.avro.DeadLetter;
import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.topology.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/** Reads MaskResults and DeadLetters from a consumer until a condition holds or time runs out. */
public final class TopicReader implements AutoCloseable {

  private final KafkaConsumer<String, byte[]> consumer;
  private final AvroCodec<MaskResult> masks = AvroCodec.of(MaskResult.class);
  private final AvroCodec<DeadLetter> letters = AvroCodec.of(DeadLetter.class);

  /** Every MaskResult read so far. */
  public final List<MaskResult> results = new ArrayList<>();

  /** Every DeadLetter read so far. */
  public final List<DeadLetter> deadLetters = new ArrayList<>();

  /**
   * @param consumer a consumer, subscribed here to masks and dead letters
   */
  public TopicReader(final KafkaConsumer<String, byte[]> consumer) {
    this.consumer = consumer;
    consumer.subscribe(List.of(Topics.MASKS, Topics.DEAD_LETTERS));
  }

  /**
   * Polls until {@code done} holds for this reader or the timeout passes; returns whether it held.
   */
  public boolean pollUntil(final Predicate<TopicReader> done, final Duration timeout) {
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.test(this) && System.nanoTime() < deadline) {
      pollOnce(Duration.ofMillis(100));
    }
    return done.test(this);
  }

  /** One poll; decodes what arrived. */
  public void pollOnce(final Duration timeout) {
    for (final ConsumerRecord<String, byte[]> r : consumer.poll(timeout)) {
      if (r.topic().equals(Topics.MASKS)) {
        results.add(masks.decode(r.value(), r.topic(), r.partition(), r.offset()));
      } else {
        deadLetters.add(letters.decode(r.value(), r.topic(), r.partition(), r.offset()));
      }
    }
  }

  /**
   * @return the result for a prompt id, if read
   */
  public MaskResult result(final String promptId) {
    return results.stream().filter(m -> m.getPromptId().equals(promptId)).findFirst().orElse(null);
  }

  @Override
  public void close() {
    consumer.close();
  }
}
