package io.medsam.stream.app.client;

import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.avro.serde.RecordDecodingException;
import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.topology.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads medsam.masks.v1 (read_committed, every partition from its end at creation, no group) and
 * hands each MaskResult, by prompt id, to whoever waits for it.
 */
final class MaskCollector implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MaskCollector.class);

  /** A MaskResult and when this client read it. */
  record Received(MaskResult result, long receivedNanos) {}

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<String, Received> results = new HashMap<>();
  private final AvroCodec<MaskResult> codec = AvroCodec.of(MaskResult.class);
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  MaskCollector(final String bootstrapServers) {
    final Map<String, Object> props =
        new HashMap<>(ClientConfigs.consumer(bootstrapServers, "unused"));
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
    this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
    final List<TopicPartition> partitions = consumer.partitionsFor(Topics.MASKS).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position); // fix the start before any prompt is sent
    this.thread = new Thread(this::poll, "medsam-mask-collector");
    thread.setDaemon(true);
    thread.start();
  }

  private void poll() {
    try {
      while (running.get()) {
        for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          try {
            final MaskResult m = codec.decode(r.value(), r.topic(), r.partition(), r.offset());
            synchronized (results) {
              results.put(m.getPromptId(), new Received(m, System.nanoTime()));
              results.notifyAll();
            }
          } catch (RecordDecodingException e) {
            LOG.warn("undecodable mask result at {}-{}@{}", r.topic(), r.partition(), r.offset());
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /**
   * @param promptId the prompt
   * @param timeout the longest wait
   * @return its result, or null when none came in time
   * @throws InterruptedException when interrupted
   */
  Received await(final String promptId, final Duration timeout) throws InterruptedException {
    final long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (results) {
      while (!results.containsKey(promptId)) {
        final long left = deadline - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        results.wait(Math.max(1, left / 1_000_000));
      }
      return results.remove(promptId);
    }
  }

  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
