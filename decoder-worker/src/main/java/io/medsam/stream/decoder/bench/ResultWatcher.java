package io.medsam.stream.decoder.bench;

import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.MaskStatus;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.topology.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A read_committed consumer of medsam.masks.v1 on its own thread that records when each expected
 * prompt's result arrived (System.nanoTime).
 */
final class ResultWatcher implements AutoCloseable {

  private final KafkaConsumer<String, byte[]> consumer;
  private final Map<String, CompletableFuture<Long>> arrivals;
  private final Thread thread;
  private final AtomicInteger notOk = new AtomicInteger();
  private final Map<String, Double> workerLatency = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile boolean running = true;

  private ResultWatcher(
      final KafkaConsumer<String, byte[]> consumer,
      final Map<String, CompletableFuture<Long>> arrivals) {
    this.consumer = consumer;
    this.arrivals = arrivals;
    this.thread = new Thread(this::loop, "bench-result-watcher");
    thread.setDaemon(true);
  }

  static ResultWatcher start(
      final String bootstrap, final Map<String, CompletableFuture<Long>> arrivals) {
    final Map<String, Object> config = new HashMap<>(ClientConfigs.consumer(bootstrap, "unused"));
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(
        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5); // do not let an idle fetch hide arrivals
    final KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config);
    final List<TopicPartition> partitions =
        consumer.partitionsFor(Topics.MASKS).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position); // resolve the end offsets now, before prompts are sent
    final ResultWatcher w = new ResultWatcher(consumer, arrivals);
    w.thread.start();
    return w;
  }

  private void loop() {
    final AvroCodec<MaskResult> codec = AvroCodec.of(MaskResult.class);
    try {
      while (running) {
        for (final ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(20))) {
          final long now = System.nanoTime();
          final MaskResult m = codec.decode(r.value(), r.topic(), r.partition(), r.offset());
          final CompletableFuture<Long> f = arrivals.get(m.getPromptId());
          if (f != null) {
            workerLatency.put(m.getPromptId(), m.getLatencyMillis());
            if (m.getStatus() != MaskStatus.OK) {
              notOk.incrementAndGet();
            }
            f.complete(now);
          }
        }
      }
    } catch (final WakeupException e) {
      // closing
    } finally {
      consumer.close();
    }
  }

  /**
   * @return the result's own latencyMillis (prompt requestedAt to result produced in the worker)
   */
  double workerLatency(final String promptId) {
    return workerLatency.getOrDefault(promptId, Double.NaN);
  }

  int notOk() {
    return notOk.get();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(10_000);
  }
}
