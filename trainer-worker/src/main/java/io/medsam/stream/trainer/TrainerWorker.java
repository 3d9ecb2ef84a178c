package io.medsam.stream.trainer;

import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.bundle.BundleFormatException;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.records.weights.WeightsKeys;
import io.medsam.stream.records.weights.WeightsSigner;
import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.topology.DeadLetterProducer;
import io.medsam.stream.topology.TopicProvisioner;
import io.medsam.stream.topology.Topics;
import io.medsam.stream.topology.worker.StateTracker;
import io.medsam.stream.topology.worker.Worker;
import io.medsam.stream.topology.worker.WorkerStatus;
import io.medsam.stream.trainer.intake.CorrectionIntake;
import io.medsam.stream.trainer.intake.CorrectionValidator;
import io.medsam.stream.trainer.intake.DeadLetterLedger;
import io.medsam.stream.trainer.intake.PairStore;
import io.medsam.stream.trainer.model.TrainableDecoder;
import io.medsam.stream.trainer.publish.TrainerLease;
import io.medsam.stream.trainer.publish.TrainerLeaseException;
import io.medsam.stream.trainer.publish.WeightsHistory;
import io.medsam.stream.trainer.publish.WeightsPublicationException;
import io.medsam.stream.trainer.publish.WeightsPublisher;
import io.micrometer.core.instrument.Metrics;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer: intake thread, trigger, one training run at a time, publication. Build it with
 * {@link #open(TrainerConfig)}, then {@link #start()} and {@link #close()} it. It is RUNNING once
 * its intake and trigger run, and FAILED when the intake loop dies. It holds its model's {@link
 * TrainerLease} from open to close, so a second trainer of the same model is refused at open; it
 * signs what it publishes when the configuration names a signing key.
 */
public final class TrainerWorker implements Worker {

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  /** How long open waits for the model's lease: long enough for a dead trainer's to end. */
  static final Duration LEASE_WAIT = TrainerLease.SESSION_TIMEOUT.plusSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(TrainerWorker.class);

  private final TrainerConfig config;
  private final PairStore store = new PairStore();
  private final TrainableDecoder decoder;
  private final KafkaProducer<byte[], byte[]> deadLetterProducer;
  private final WeightsPublisher publisher;
  private final CorrectionIntake intake;
  private final TrainingScheduler scheduler;
  private final TrainerStatusPublisher statusPublisher;
  private final StateTracker tracker;
  private final TrainerLease lease;
  private final AtomicBoolean closed = new AtomicBoolean();

  private TrainerWorker(
      final TrainerConfig config,
      final Clock triggerClock,
      final ModelBundle bundle,
      final TrainerLease lease,
      final Optional<WeightsSigner> signer)
      throws IOException {
    this.config = config;
    this.tracker = new StateTracker(triggerClock);
    this.lease = lease;
    final String bootstrap = config.bootstrapServers();
    this.decoder = TrainableDecoder.load(bundle);
    this.deadLetterProducer =
        new KafkaProducer<>(
            ClientConfigs.producer(bootstrap),
            new ByteArraySerializer(),
            new ByteArraySerializer());
    final WeightsPublisher held = new WeightsPublisher(bootstrap, Clock.systemUTC()).heldBy(lease);
    this.publisher = signer.map(held::signedBy).orElse(held);
    final Map<String, Object> reader =
        ClientConfigs.consumer(bootstrap, config.groupId() + "-reader");
    final WeightsHistory history = adoptServingRecords(reader, bundle.id());
    final DeadLetterLedger ledger =
        DeadLetterLedger.read(reader, Topics.DEAD_LETTERS, READ_TIMEOUT);
    this.intake =
        new CorrectionIntake(
            ClientConfigs.consumer(bootstrap, config.groupId()),
            Topics.CORRECTIONS,
            Topics.EMBEDDINGS,
            new CorrectionValidator(bundle.embeddingShapeArray()),
            store,
            ledger,
            new DeadLetterProducer(
                DeadLetterLedger.COMPONENT, deadLetterProducer, Metrics.globalRegistry),
            config.embeddingTimeout(),
            config.maxPending(),
            tracker::fail);
    final FineTuneCycle cycle =
        new FineTuneCycle(
            decoder,
            config,
            publisher,
            () ->
                WeightsHistory.read(
                    reader, Topics.DECODER_WEIGHTS_HISTORY, bundle.id(), READ_TIMEOUT),
            Clock.systemUTC());
    // the pairs behind the last run's decision (published or rejected): not trained on again
    // after a restart until new ones arrive
    final int alreadyTrained =
        history
            .latestRun()
            .map(
                (DecoderWeights w) ->
                    w.getTrainPairs()
                        + w.getHoldoutPairs()
                        + w.getValidationPairs()
                        + w.getExcludedPairs())
            .orElse(0);
    this.scheduler =
        new TrainingScheduler(
            store,
            cycle,
            config.minNewPairs(),
            config.maxWait(),
            config.quietPeriod(),
            alreadyTrained,
            this::caughtUp,
            triggerClock);
    this.statusPublisher =
        new TrainerStatusPublisher(
            bundle.id(),
            config.groupId(),
            store,
            intake,
            scheduler,
            deadLetterProducer,
            Clock.systemUTC());
  }

  /**
   * The model's weights history. A model with no history but records on the serving topic
   * (published before the history topic existed) first gets those records copied into it, so the
   * weights in force and the version count survive the upgrade.
   *
   * @throws KafkaException if the copy cannot be committed
   */
  private WeightsHistory adoptServingRecords(
      final Map<String, Object> reader, final String modelId) {
    final WeightsHistory history =
        WeightsHistory.read(reader, Topics.DECODER_WEIGHTS_HISTORY, modelId, READ_TIMEOUT);
    if (!history.isEmpty()) {
      return history;
    }
    final List<DecoderWeights> serving =
        WeightsHistory.readWithTensors(reader, Topics.DECODER_WEIGHTS, modelId, READ_TIMEOUT);
    try {
      final int adopted = publisher.adoptServingRecords(history, serving, READ_TIMEOUT);
      if (adopted == 0) {
        return history;
      }
      LOG.info(
          "copied {} weights records of {} from {} into {}",
          adopted,
          modelId,
          Topics.DECODER_WEIGHTS,
          Topics.DECODER_WEIGHTS_HISTORY);
    } catch (WeightsPublicationException e) {
      throw new KafkaException("cannot start the weights history of " + modelId, e);
    }
    return WeightsHistory.read(reader, Topics.DECODER_WEIGHTS_HISTORY, modelId, READ_TIMEOUT);
  }

  /**
   * Provisions missing topics, loads the bundle and the signing key, takes the model's lease and
   * reads the weights history and the trainer's past dead letters; {@link #start()} then replays
   * the intake and starts the trigger.
   *
   * @throws IOException if the bundle or the signing key cannot be loaded
   * @throws TrainerLeaseException if another trainer of the bundle's model is running
   */
  public static TrainerWorker open(final TrainerConfig config)
      throws IOException, TrainerLeaseException {
    return open(config, Clock.systemUTC());
  }

  /**
   * Like {@link #open(TrainerConfig)}, with the clock that the training trigger (quiet period,
   * longest wait) and the worker's waits go by; tests move it instead of sleeping.
   *
   * @throws IOException if the bundle or the signing key cannot be loaded
   * @throws TrainerLeaseException if another trainer of the bundle's model is running
   */
  public static TrainerWorker open(final TrainerConfig config, final Clock triggerClock)
      throws IOException, TrainerLeaseException {
    try (Admin admin = Admin.create(ClientConfigs.admin(config.bootstrapServers()))) {
      TopicProvisioner.ensure(admin, Topics.all());
    }
    final ModelBundle bundle;
    try {
      bundle = ModelBundle.readForTraining(config.bundleDir());
    } catch (BundleFormatException e) {
      throw new IOException(e.getMessage(), e);
    }
    final Optional<WeightsSigner> signer =
        config.weightsSigningKey() == null
            ? Optional.empty()
            : Optional.of(
                new WeightsSigner(WeightsKeys.readPrivateKey(config.weightsSigningKey())));
    signer.ifPresent(
        s -> LOG.info("trainer signs the weights it publishes with key {}", s.keyId()));
    final TrainerLease lease =
        TrainerLease.acquire(
            ClientConfigs.consumer(config.bootstrapServers(), TrainerLease.groupId(bundle.id())),
            bundle.id(),
            LEASE_WAIT,
            Clock.systemUTC());
    try {
      return new TrainerWorker(config, triggerClock, bundle, lease, signer);
    } catch (IOException | RuntimeException | Error e) {
      lease.close();
      throw e;
    }
  }

  /** The trainer's consumer group. */
  @Override
  public WorkerStatus status() {
    return tracker;
  }

  @Override
  public String name() {
    return config.groupId();
  }

  /** Starts the intake thread (replay, then follow) and the trigger. */
  @Override
  public void start() {
    if (!tracker.starting()) {
      throw new IllegalStateException(name() + " was started or closed before; it runs once");
    }
    intake.start();
    scheduler.start(Duration.ofSeconds(1));
    statusPublisher.start(Duration.ofSeconds(1));
    tracker.running();
  }

  private boolean caughtUp() {
    try {
      return intake.awaitCaughtUp(Duration.ZERO);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The labelled pairs taken in so far. */
  public PairStore pairs() {
    return store;
  }

  /** The intake (counts, caught-up latch). */
  public CorrectionIntake intake() {
    return intake;
  }

  /** The trigger and the results of its runs. */
  public TrainingScheduler scheduler() {
    return scheduler;
  }

  /** What it publishes on {@link Topics#TRAINER_STATUS}. */
  public TrainerStatusPublisher statusPublisher() {
    return statusPublisher;
  }

  /** The configuration it runs with. */
  public TrainerConfig config() {
    return config;
  }

  /**
   * Lets a training run in progress finish (at most 5 minutes), then stops the intake and releases
   * the producer and the model; a second call waits for the first. An interrupt cuts the waits
   * short and is kept.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      try {
        tracker.awaitStopped(Duration.ofMinutes(6));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return;
    }
    tracker.stopping();
    boolean interrupted = false;
    try {
      scheduler.close();
    } catch (InterruptedException e) {
      interrupted = true;
    }
    try {
      intake.close();
    } catch (InterruptedException e) {
      interrupted = true;
    }
    statusPublisher.close();
    deadLetterProducer.close(Duration.ofSeconds(10));
    decoder.close();
    lease.close();
    tracker.stopped();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
