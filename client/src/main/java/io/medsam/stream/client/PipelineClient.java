package io.medsam.stream.client;

import io.medsam.stream.avro.BoxPrompt;
import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.avro.VolumeMask;
import io.medsam.stream.avro.VolumePrompt;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.imaging.preprocess.PixelBox;
import io.medsam.stream.ingest.ScanPublisher;
import io.medsam.stream.records.Boxes;
import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.topology.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One client session with a running pipeline, all through Kafka: scans are published as ScanEvents,
 * their slices' embeddings followed on medsam.embeddings.v1, prompts sent as BoxPrompts and their
 * masks read back from medsam.masks.v1. It starts no worker; whoever needs workers in the same
 * process starts them beside it.
 */
public final class PipelineClient implements AutoCloseable {

  private final String bootstrapServers;
  private final Optional<String> encoderModelId;
  private final ResultCollector<MaskResult> masks;
  private final ResultCollector<VolumeMask> volumeMasks;
  private final EmbeddingWatch embeddings;
  private final KafkaProducer<byte[], byte[]> producer;
  private final AvroCodec<BoxPrompt> promptCodec = AvroCodec.of(BoxPrompt.class);
  private final AvroCodec<VolumePrompt> volumeCodec = AvroCodec.of(VolumePrompt.class);

  private PipelineClient(final String bootstrapServers, final Optional<String> encoderModelId) {
    this.bootstrapServers = bootstrapServers;
    this.encoderModelId = encoderModelId;
    this.masks =
        new ResultCollector<>(
            bootstrapServers, Topics.MASKS, MaskResult.class, MaskResult::getPromptId);
    this.volumeMasks =
        new ResultCollector<>(
            bootstrapServers, Topics.VOLUME_MASKS, VolumeMask.class, VolumeMask::getPromptId);
    this.embeddings = new EmbeddingWatch(bootstrapServers);
    final Map<String, Object> props = new HashMap<>(ClientConfigs.producer(bootstrapServers));
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    this.producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * Connects to the pipeline at {@code bootstrapServers}: starts reading masks from the end of
   * medsam.masks.v1 and embeddings from the beginning of medsam.embeddings.v1.
   *
   * @param bootstrapServers the cluster
   * @param encoderModelId the only encoder whose embeddings {@link #prepare} counts (an encoder
   *     started beside this client); empty: any encoder's
   * @return the session; close it when done
   */
  public static PipelineClient connect(
      final String bootstrapServers, final Optional<String> encoderModelId) {
    return new PipelineClient(bootstrapServers, encoderModelId);
  }

  /**
   * @return the cluster this session talks to
   */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * Makes sure the embeddings of {@code sliceKeys} exist: reuses those already on
   * medsam.embeddings.v1 from the encoder named at {@link #connect} (or any encoder when none was
   * named), else publishes the scan and waits for fresh ones.
   *
   * @param scan the ScanEvent to publish when an embedding is missing
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

  /**
   * @return the slice keys with an embedding on medsam.embeddings.v1 so far, any encoder's (a
   *     snapshot)
   */
  public Set<String> embeddedSliceKeys() {
    return embeddings.sliceKeys();
  }

  /**
   * @param sliceKey a slice
   * @return whether an embedding of it has been read (any encoder's)
   */
  public boolean hasEmbedding(final String sliceKey) {
    return embeddings.latest(sliceKey) != null;
  }

  private int present(final Collection<String> keys, final long notBefore) {
    int n = 0;
    for (final String k : keys) {
      final EmbeddingWatch.Seen s = embeddings.latest(k);
      if (s != null
          && s.timestampMillis() >= notBefore
          && encoderModelId.map(id -> id.equals(s.encoderModelId())).orElse(true)) {
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
            .setBox(Boxes.toBox(box))
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
    final ResultCollector.Received<MaskResult> r = masks.await(prompt.promptId(), timeout);
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

  /**
   * Sends one VolumePrompt: the walker of the decoder application segments the middle slice with
   * the box and walks slice by slice to z1 and z0.
   *
   * @param seriesUid the series (its slices must be embedded, see {@link #prepare})
   * @param axis axial, coronal or sagittal
   * @param box the x/y box in pixel coordinates of the slices
   * @param z0 first slice (inclusive)
   * @param z1 last slice (inclusive)
   * @param label a free label carried into the VolumeMask, or null
   * @return the prompt id
   */
  public String sendVolume(
      final String seriesUid,
      final String axis,
      final PixelBox box,
      final int z0,
      final int z1,
      final String label) {
    final String promptId = UUID.randomUUID().toString();
    final VolumePrompt prompt =
        VolumePrompt.newBuilder()
            .setPromptId(promptId)
            .setSeriesUid(seriesUid)
            .setAxis(axis)
            .setBox(Boxes.toBox(box))
            .setZ0(z0)
            .setZ1(z1)
            .setLabel(label)
            .setRequestedAt(Instant.now())
            .build();
    producer.send(
        new ProducerRecord<>(
            Topics.VOLUME_PROMPTS,
            seriesUid.getBytes(StandardCharsets.UTF_8),
            volumeCodec.encode(prompt)));
    producer.flush();
    return promptId;
  }

  /**
   * @param promptId a VolumePrompt sent by this client
   * @param timeout the longest wait
   * @return its VolumeMask
   * @throws InterruptedException when interrupted
   * @throws PipelineTimeoutException when no VolumeMask came in time
   */
  public VolumeMask awaitVolume(final String promptId, final Duration timeout)
      throws InterruptedException, PipelineTimeoutException {
    final ResultCollector.Received<VolumeMask> r = volumeMasks.await(promptId, timeout);
    if (r == null) {
      throw new PipelineTimeoutException(
          "no VolumeMask for volume prompt "
              + promptId
              + " within "
              + timeout.toSeconds()
              + " s; is a decoder worker running?");
    }
    return r.result();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
    masks.close();
    volumeMasks.close();
    embeddings.close();
  }
}
