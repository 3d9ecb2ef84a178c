package io.medsam.stream.client;

import io.medsam.stream.topology.ClientConfigs;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A read_committed consumer without a group, assigned every partition of one topic and polled on a
 * daemon thread of its own. Its owner positions it (from the beginning, from the end) before {@link
 * #start}, which names what to do with each record and after each poll; {@link #close()} wakes it
 * and waits for the thread, which closes the consumer.
 */
public final class TopicFollower implements AutoCloseable {

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<TopicPartition> partitions;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private Thread thread;

  /**
   * @param bootstrapServers the cluster
   * @param topic the topic whose partitions it reads, all of them
   * @param overrides consumer properties on top of the read_committed, groupless defaults
   */
  public TopicFollower(
      final String bootstrapServers, final String topic, final Map<String, Object> overrides) {
    final Map<String, Object> props =
        new HashMap<>(ClientConfigs.consumer(bootstrapServers, "unused"));
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.putAll(overrides);
    this.consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.partitions =
        consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
  }

  /** The consumer: its owner's before {@link #start}, then only the follower thread's. */
  public KafkaConsumer<byte[], byte[]> consumer() {
    return consumer;
  }

  /** Every partition of the topic, all assigned. */
  public List<TopicPartition> partitions() {
    return partitions;
  }

  /**
   * Starts polling on a daemon thread.
   *
   * @param threadName the thread's name
   * @param onRecord called with every record read
   * @param afterPoll called after each poll, its records handled
   */
  public void start(
      final String threadName,
      final Consumer<ConsumerRecord<byte[], byte[]>> onRecord,
      final Runnable afterPoll) {
    thread = new Thread(() -> poll(onRecord, afterPoll), threadName);
    thread.setDaemon(true);
    thread.start();
  }

  private void poll(
      final Consumer<ConsumerRecord<byte[], byte[]>> onRecord, final Runnable afterPoll) {
    try {
      while (running.get()) {
        for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          onRecord.accept(r);
        }
        afterPoll.run();
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(Duration.ofSeconds(5));
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
