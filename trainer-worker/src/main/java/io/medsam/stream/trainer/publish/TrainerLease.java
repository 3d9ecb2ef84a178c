package io.medsam.stream.trainer.publish;

import io.medsam.stream.topology.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One trainer per decoder model: the trainer holds the model's lease, the one partition of the
 * weights history topic in the consumer group {@code medsam-trainer-lease-<modelId>} (cooperative
 * sticky assignment: the member that holds it keeps it when others join). A second trainer of the
 * model joins the group, gets nothing and is refused at start; a trainer that stops leaves the
 * group at once, one that dies loses the lease after {@link #SESSION_TIMEOUT}. The partition is
 * paused: the lease never reads the history. A thread keeps the membership alive; if the lease is
 * lost anyway (the process stalled past the session timeout), {@link #held()} turns false and the
 * publisher refuses to publish.
 */
public final class TrainerLease implements AutoCloseable {

  /** How long a dead trainer keeps the lease. */
  public static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);

  private static final Logger LOG = LoggerFactory.getLogger(TrainerLease.class);
  private static final TopicPartition LEASED =
      new TopicPartition(Topics.DECODER_WEIGHTS_HISTORY, 0);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String modelId;
  private final AtomicBoolean held = new AtomicBoolean();
  private final AtomicBoolean rebalanced = new AtomicBoolean();
  private volatile boolean running = true;
  private Thread keeper;

  private TrainerLease(final Map<String, Object> consumerConfig, final String modelId) {
    final Map<String, Object> c = new HashMap<>(consumerConfig);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId(modelId));
    c.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
    c.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) SESSION_TIMEOUT.toMillis());
    c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1000);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId(modelId) + "-" + ProcessHandle.current().pid());
    this.consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.modelId = modelId;
  }

  /** The consumer group whose one member holds the lease of {@code modelId}. */
  public static String groupId(final String modelId) {
    return "medsam-trainer-lease-" + modelId;
  }

  /**
   * Takes the model's lease, waiting up to {@code wait} (long enough for a trainer that died to
   * lose it: more than {@link #SESSION_TIMEOUT}) while another member holds it.
   *
   * @param consumerConfig consumer settings with bootstrap servers (group and assignment are set
   *     here)
   * @throws TrainerLeaseException if another trainer of the model holds the lease all that time
   */
  public static TrainerLease acquire(
      final Map<String, Object> consumerConfig,
      final String modelId,
      final Duration wait,
      final Clock clock)
      throws TrainerLeaseException {
    final TrainerLease lease = new TrainerLease(consumerConfig, modelId);
    try {
      lease.consumer.subscribe(List.of(Topics.DECODER_WEIGHTS_HISTORY), lease.listener());
      final Instant deadline = clock.instant().plus(wait);
      boolean joined = false;
      while (!lease.held.get() && clock.instant().isBefore(deadline)) {
        lease.consumer.poll(Duration.ofMillis(200));
        joined |= lease.rebalanced.get();
      }
      if (!lease.held.get()) {
        throw new TrainerLeaseException(
            "another trainer of decoder model "
                + modelId
                + " is running (it holds consumer group "
                + groupId(modelId)
                + (joined ? "" : ", or the group could not be joined")
                + "): one trainer per model publishes its weights; stop that one first (a trainer"
                + " that died loses the lease after "
                + SESSION_TIMEOUT.toSeconds()
                + " s)");
      }
    } catch (TrainerLeaseException | RuntimeException e) {
      lease.consumer.close(Duration.ofSeconds(5));
      throw e;
    }
    lease.keeper = new Thread(lease::keep, "trainer-lease-" + modelId);
    lease.keeper.setDaemon(true);
    lease.keeper.start();
    LOG.info("trainer lease of {} taken ({})", modelId, groupId(modelId));
    return lease;
  }

  /** True while this trainer holds the lease. */
  public boolean held() {
    return held.get();
  }

  /** The model the lease is for. */
  public String modelId() {
    return modelId;
  }

  private ConsumerRebalanceListener listener() {
    return new ConsumerRebalanceListener() {
      @Override
      public void onPartitionsAssigned(final Collection<TopicPartition> added) {
        rebalanced.set(true);
        consumer.pause(consumer.assignment());
        if (consumer.assignment().contains(LEASED)) {
          held.set(true);
        }
      }

      @Override
      public void onPartitionsRevoked(final Collection<TopicPartition> gone) {
        lose(gone);
      }

      @Override
      public void onPartitionsLost(final Collection<TopicPartition> gone) {
        lose(gone);
      }
    };
  }

  private void lose(final Collection<TopicPartition> gone) {
    if (gone.contains(LEASED) && held.getAndSet(false) && running) {
      LOG.error("trainer lease of {} lost: this trainer will not publish", modelId);
    }
  }

  private void keep() {
    try {
      while (running) {
        consumer.poll(Duration.ofMillis(500));
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      held.set(false);
      LOG.error("trainer lease of {} stopped: this trainer will not publish", modelId, e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** Leaves the group, so that another trainer of the model can take the lease at once. */
  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      keeper.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    held.set(false);
  }
}
