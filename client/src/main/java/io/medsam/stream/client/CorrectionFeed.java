package io.medsam.stream.client;

import io.medsam.stream.avro.Correction;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.topology.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes corrections and waits until the trainer has taken them in: its consumer group has
 * committed the corrections topic past every one of them. Those with a trainer dead letter were
 * rejected; the rest became (or already were) training pairs.
 */
public final class CorrectionFeed {

  /**
   * What happened to a batch of corrections.
   *
   * @param published how many were published
   * @param accepted how many became (or already were) training pairs; 0 when not complete
   * @param rejected how many the trainer dead-lettered
   * @param complete whether the trainer took every one in within the timeout
   * @param reasons "correctionId: reason" per rejected correction
   */
  public record Report(
      int published, int accepted, int rejected, boolean complete, List<String> reasons) {}

  private CorrectionFeed() {}

  /**
   * Publishes {@code corrections} (keyed by sliceKey) and waits until the trainer has committed
   * past them, then reads its verdicts.
   *
   * @param bootstrap the cluster
   * @param corrections what to publish, in order
   * @param trainerGroup the trainer's consumer group ({@code medsam-trainer} by default)
   * @param timeout the longest wait for the trainer, and again for reading its dead letters
   * @return what happened; {@code complete} false when the trainer did not commit in time
   * @throws ExecutionException if a correction could not be published
   * @throws InterruptedException when interrupted
   */
  public static Report publishAndWait(
      final String bootstrap,
      final List<Correction> corrections,
      final String trainerGroup,
      final Duration timeout)
      throws ExecutionException, InterruptedException {
    final AvroCodec<Correction> codec = AvroCodec.of(Correction.class);
    final List<RecordMetadata> sent = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            ClientConfigs.producer(bootstrap),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      final List<java.util.concurrent.Future<RecordMetadata>> futures = new ArrayList<>();
      for (final Correction c : corrections) {
        futures.add(
            producer.send(
                new ProducerRecord<>(
                    Topics.CORRECTIONS,
                    c.getSliceKey().getBytes(StandardCharsets.UTF_8),
                    codec.encode(c))));
      }
      for (final var f : futures) {
        sent.add(f.get());
      }
    }
    final Map<TopicPartition, Long> needed = new HashMap<>();
    sent.forEach(
        m -> needed.merge(new TopicPartition(m.topic(), m.partition()), m.offset() + 1, Math::max));
    final boolean complete = awaitCommitted(bootstrap, trainerGroup, needed, timeout);
    final Map<String, String> rejected = TrainerVerdicts.rejections(bootstrap, timeout);
    final List<String> reasons = new ArrayList<>();
    int bad = 0;
    for (int i = 0; i < sent.size(); i++) {
      final String reason = rejected.get(sent.get(i).partition() + ":" + sent.get(i).offset());
      if (reason != null) {
        bad++;
        reasons.add(corrections.get(i).getCorrectionId() + ": " + reason);
      }
    }
    return new Report(sent.size(), complete ? sent.size() - bad : 0, bad, complete, reasons);
  }

  private static boolean awaitCommitted(
      final String bootstrap,
      final String group,
      final Map<TopicPartition, Long> needed,
      final Duration timeout)
      throws InterruptedException, ExecutionException {
    final long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin = Admin.create(ClientConfigs.admin(bootstrap))) {
      while (System.nanoTime() < deadline) {
        final Map<TopicPartition, OffsetAndMetadata> done =
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        if (needed.entrySet().stream()
            .allMatch(
                e ->
                    done.get(e.getKey()) != null
                        && done.get(e.getKey()).offset() >= e.getValue())) {
          return true;
        }
        Thread.sleep(250);
      }
    }
    return false;
  }
}
