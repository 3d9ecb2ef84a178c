package io.medsam.stream.app.client;

import io.medsam.stream.app.broker.KafkaEndpoint;
import io.medsam.stream.app.pipeline.BundleLocation;
import io.medsam.stream.app.pipeline.PipelineWorkers;
import io.medsam.stream.app.pipeline.Role;
import io.medsam.stream.app.pipeline.WorkerStartException;
import io.medsam.stream.avro.BoxPrompt;
import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.bundle.BundleFormatException;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.imaging.preprocess.PixelBox;
import io.medsam.stream.ingest.ScanPublisher;
import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.topology.Topics;
import io.medsam.stream.trainer.TrainerConfig;
import io.medsam.stream.trainer.TrainerWorker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client session with the pipeline: the ingest, encoder and decoder workers that have no
 * running member in the cluster are started in this JVM; scans are published as ScanEvents, prompts
 * as BoxPrompts and masks read back from medsam.masks.v1.
 */
public final class PipelineClient implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PipelineClient.class);

  /** The roles a prompt needs; the trainer is not one of them. */
  public static final Set<Role> SERVING = EnumSet.of(Role.INGEST, Role.ENCODER, Role.DECODER);

  private final String bootstrapServers;
  private final PipelineWorkers workers;
  private final String encoderModelId;
  private final Path bundle;
  private final MaskCollector masks;
  private final EmbeddingWatch embeddings;
  private final KafkaProducer<byte[], byte[]> producer;
  private final AvroCodec<BoxPrompt> promptCodec = AvroCodec.of(BoxPrompt.class);

  private PipelineClient(
      final String bootstrapServers,
      final PipelineWorkers workers,
      final String encoderModelId,
      final Path bundle) {
    this.bootstrapServers = bootstrapServers;
    this.bundle = bundle;
    this.workers = workers;
    this.encoderModelId = encoderModelId;
    this.masks = new MaskCollector(bootstrapServers);
    this.embeddings = new EmbeddingWatch(bootstrapServers);
    final var props = new java.util.HashMap<>(ClientConfigs.producer(bootstrapServers));
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    this.producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * Connects to the pipeline at {@code bootstrapServers}, starting the serving workers it lacks.
   *
   * @param kafka the cluster; on an embedded broker this command started, every serving worker is
   *     started here (members listed in its groups are left over from earlier runs)
   * @param bundle model bundle for workers started here
   * @param dataDir local state root for workers started here
   * @param notices receives one line per worker started here
   * @return the session
   * @throws WorkerStartException when a worker cannot start
   * @throws InterruptedException when interrupted while waiting for the decoder
   */
  public static PipelineClient open(
      final KafkaEndpoint kafka,
      final Path bundle,
      final Path dataDir,
      final Consumer<String> notices)
      throws WorkerStartException, InterruptedException {
    return open(kafka, bundle, dataDir, SERVING, UnaryOperator.identity(), notices);
  }

  /**
   * As {@link #open(KafkaEndpoint, Path, Path, Consumer)}, for other roles.
   *
   * @param roles the roles the session needs; those without a running member (all of them on an
   *     embedded broker this command started) are started here. The trainer assigns itself its
   *     partitions and never shows as a group member, so on an external cluster it is always
   *     started here when asked for
   * @param trainer the trainer's configuration from its defaults, if a trainer is started here
   * @return the session
   * @throws WorkerStartException when a worker cannot start
   * @throws InterruptedException when interrupted while waiting for the decoder
   */
  public static PipelineClient open(
      final KafkaEndpoint kafka,
      final Path bundle,
      final Path dataDir,
      final Set<Role> roles,
      final UnaryOperator<TrainerConfig> trainer,
      final Consumer<String> notices)
      throws WorkerStartException, InterruptedException {
    final String bootstrapServers = kafka.bootstrapServers();
    final Set<Role> missing =
        kafka.embedded().isPresent()
            ? EnumSet.copyOf(roles)
            : missingRoles(bootstrapServers, roles);
    PipelineWorkers workers = null;
    String encoderId = null;
    Path used = null;
    if (!missing.isEmpty()) {
      final boolean needsBundle = missing.stream().anyMatch(r -> r != Role.INGEST);
      final Path model = needsBundle ? BundleLocation.resolve(bundle, notices) : bundle;
      used = needsBundle ? model : null;
      notices.accept(
          "starting in this process: "
              + missing.stream().map(Role::cliName).reduce((a, b) -> a + ", " + b).orElse("")
              + " worker(s)"
              + (needsBundle ? " with bundle " + model : ""));
      if (missing.contains(Role.ENCODER)) {
        try {
          encoderId = ModelBundle.read(model).encoderModelId();
        } catch (BundleFormatException e) {
          throw new WorkerStartException(e.getMessage(), e);
        }
      }
      workers =
          PipelineWorkers.start(
              missing,
              new PipelineWorkers.Settings(
                  bootstrapServers,
                  model,
                  dataDir,
                  hostName(),
                  new SimpleMeterRegistry(),
                  trainer));
      if (!workers.awaitReady(Duration.ofSeconds(120))) {
        workers.close();
        throw new WorkerStartException("the decoder worker did not reach RUNNING in 120 s", null);
      }
    }
    try {
      return new PipelineClient(bootstrapServers, workers, encoderId, used);
    } catch (RuntimeException e) {
      if (workers != null) {
        workers.close();
      }
      throw e;
    }
  }

  /**
   * @param bootstrapServers the cluster
   * @return the roles of {@link #SERVING} whose consumer group has no active member
   */
  public static Set<Role> missingRoles(final String bootstrapServers) {
    return missingRoles(bootstrapServers, SERVING);
  }

  /**
   * @param bootstrapServers the cluster
   * @param roles the roles to look for
   * @return those of {@code roles} whose consumer group has no active member
   */
  public static Set<Role> missingRoles(final String bootstrapServers, final Set<Role> roles) {
    final Set<Role> missing = EnumSet.noneOf(Role.class);
    try (Admin admin = Admin.create(ClientConfigs.admin(bootstrapServers))) {
      for (final Role role : roles) {
        try {
          final ConsumerGroupDescription d =
              admin
                  .describeConsumerGroups(Set.of(role.group()))
                  .describedGroups()
                  .get(role.group())
                  .get();
          if (d.members().isEmpty()) {
            missing.add(role);
          }
        } catch (ExecutionException e) {
          missing.add(role); // no such group yet
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          missing.add(role);
        }
      }
    }
    return missing;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "local";
    }
  }

  /**
   * @return the cluster this session talks to
   */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * @return the bundle of the encoder or decoder started here, if one was
   */
  public java.util.Optional<Path> localBundle() {
    return java.util.Optional.ofNullable(bundle);
  }

  /**
   * @return the trainer running in this JVM for this session, if one was started here
   */
  public Optional<TrainerWorker> trainer() {
    return workers == null ? Optional.empty() : workers.trainer();
  }

  /**
   * @return the roles running in this JVM for this session
   */
  public Set<Role> startedHere() {
    return workers == null ? EnumSet.noneOf(Role.class) : workers.roles();
  }

  /**
   * Makes sure the embeddings of {@code sliceIndices} exist: reuses those already on
   * medsam.embeddings.v1 from this client's encoder (or any encoder when the encoder runs
   * elsewhere), else publishes the scan and waits for fresh ones.
   *
   * @param image the scan file
   * @param axis axial, coronal, sagittal or 2d
   * @param sliceKeys the slice keys needed
   * @param timeout the longest wait for embeddings
   * @param progress receives the number of embeddings present so far
   * @return whether the scan was published (false: every embedding was reused)
   * @throws IOException when publishing fails
   * @throws InterruptedException when interrupted
   * @throws PipelineTimeoutException when embeddings do not arrive in time
   */
  public boolean prepare(
      final ScanEvent scan,
      final Collection<String> sliceKeys,
      final Duration timeout,
      final IntConsumer progress)
      throws IOException, InterruptedException, PipelineTimeoutException {
    if (!embeddings.awaitCaughtUp(timeout)) {
      throw new PipelineTimeoutException("could not read " + Topics.EMBEDDINGS + " in " + timeout);
    }
    if (present(sliceKeys, 0) == sliceKeys.size()) {
      progress.accept(sliceKeys.size());
      return false;
    }
    final long publishedAt = System.currentTimeMillis();
    try (ScanPublisher publisher = new ScanPublisher(bootstrapServers)) {
      publisher.publish(scan);
    }
    final long deadline = System.nanoTime() + timeout.toNanos();
    int have;
    while ((have = present(sliceKeys, publishedAt)) < sliceKeys.size()) {
      progress.accept(have);
      if (System.nanoTime() > deadline) {
        throw new PipelineTimeoutException(
            have
                + " of "
                + sliceKeys.size()
                + " slice embeddings arrived within "
                + timeout.toSeconds()
                + " s; is an encoder"
                + " worker running? (dead letters: "
                + Topics.DEAD_LETTERS
                + ")");
      }
      Thread.sleep(100);
    }
    progress.accept(have);
    return true;
  }

  private int present(final Collection<String> keys, final long notBefore) {
    int n = 0;
    for (final String k : keys) {
      final EmbeddingWatch.Seen s = embeddings.latest(k);
      if (s != null
          && s.timestampMillis() >= notBefore
          && (encoderModelId == null || encoderModelId.equals(s.encoderModelId()))) {
        n++;
      }
    }
    return n;
  }

  /**
   * Sends one BoxPrompt.
   *
   * @param sliceKey the slice
   * @param box the box in original pixel coordinates
   * @param label a free label carried into the MaskResult, or null
   * @return the prompt in flight
   */
  public SentPrompt send(final String sliceKey, final PixelBox box, final String label) {
    final String promptId = UUID.randomUUID().toString();
    final BoxPrompt prompt =
        BoxPrompt.newBuilder()
            .setPromptId(promptId)
            .setSliceKey(sliceKey)
            .setBox(
                new io.medsam.stream.avro.Box(
                    (float) box.x0(), (float) box.y0(), (float) box.x1(), (float) box.y1()))
            .setLabel(label)
            .setRequestedAt(Instant.now())
            .build();
    final long sent = System.nanoTime();
    producer.send(
        new ProducerRecord<>(
            Topics.PROMPTS, sliceKey.getBytes(StandardCharsets.UTF_8), promptCodec.encode(prompt)));
    return new SentPrompt(promptId, sliceKey, box, label, sent);
  }

  /** Sends what {@link #send} buffered. */
  public void flush() {
    producer.flush();
  }

  /**
   * @param prompt a prompt sent by this client
   * @param timeout the longest wait
   * @return its mask
   * @throws InterruptedException when interrupted
   * @throws PipelineTimeoutException when no MaskResult came in time
   */
  public ReceivedMask await(final SentPrompt prompt, final Duration timeout)
      throws InterruptedException, PipelineTimeoutException {
    final MaskCollector.Received r = masks.await(prompt.promptId(), timeout);
    if (r == null) {
      throw new PipelineTimeoutException(
          "no MaskResult for prompt "
              + prompt.promptId()
              + " ("
              + prompt.sliceKey()
              + ") within "
              + timeout.toSeconds()
              + " s; is a decoder worker"
              + " running?");
    }
    return new ReceivedMask(prompt, r.result(), (r.receivedNanos() - prompt.sentNanos()) / 1e6);
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
    masks.close();
    embeddings.close();
    if (workers != null) {
      final Set<Role> roles = workers.roles();
      workers.close();
      forgetMembers(roles);
    }
  }

  /**
   * Removes the members of the groups of workers this session ran, which have just closed: a Kafka
   * Streams member does not leave its group on close, and would otherwise count as a running
   * decoder for the next command until its session times out.
   */
  private void forgetMembers(final Set<Role> roles) {
    try (Admin admin = Admin.create(ClientConfigs.admin(bootstrapServers))) {
      for (final Role role : roles) {
        try {
          admin
              .removeMembersFromConsumerGroup(
                  role.group(), new RemoveMembersFromConsumerGroupOptions())
              .all()
              .get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
          LOG.debug("group {}: {}", role.group(), e.toString()); // already empty
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
