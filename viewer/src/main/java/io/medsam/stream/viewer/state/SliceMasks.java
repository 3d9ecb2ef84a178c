package io.medsam.stream.viewer.state;

import io.medsam.stream.avro.Correction;
import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.MaskStatus;
import io.medsam.stream.avro.RleMask;
import io.medsam.stream.topology.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest mask of each slice: the latest committed MaskResult with a mask on medsam.masks.v1
 * (any client's, 3D walk steps included) and the latest Correction on medsam.corrections.v1; a
 * correction is what a clinician said the slice shows, so it wins over the model's mask.
 */
public final class SliceMasks implements AutoCloseable {

  /**
   * The mask a slice is shown and exported with.
   *
   * @param rle the mask
   * @param source "correction" or "model"
   * @param decoderWeightsVersion the weights that made it (model masks)
   * @param label the target the prompt or correction named; null when it named none
   */
  public record Latest(RleMask rle, String source, String decoderWeightsVersion, String label) {}

  private final Map<String, Latest> model = new ConcurrentHashMap<>();
  private final Map<String, Latest> corrected = new ConcurrentHashMap<>();
  private final TopicLog<MaskResult> masks;
  private final TopicLog<Correction> corrections;

  /**
   * Starts reading both topics.
   *
   * @param bootstrapServers the cluster
   */
  public SliceMasks(final String bootstrapServers) {
    this.masks =
        new TopicLog<>(
            bootstrapServers,
            Topics.MASKS,
            MaskResult.class,
            (k, m) -> {
              if (m.getStatus() == MaskStatus.OK && m.getMask() != null) {
                model.put(
                    m.getSliceKey(),
                    new Latest(m.getMask(), "model", m.getDecoderWeightsVersion(), m.getLabel()));
              }
            });
    this.corrections =
        new TopicLog<>(
            bootstrapServers,
            Topics.CORRECTIONS,
            Correction.class,
            (k, c) ->
                corrected.put(
                    c.getSliceKey(), new Latest(c.getMask(), "correction", null, c.getLabel())));
  }

  /**
   * @param sliceKey a slice
   * @return its latest correction, else its latest model mask
   */
  public Optional<Latest> latest(final String sliceKey) {
    final Latest c = corrected.get(sliceKey);
    return c != null ? Optional.of(c) : Optional.ofNullable(model.get(sliceKey));
  }

  /**
   * @return whether both topics were read up to where they ended at start
   */
  public boolean awaitCaughtUp(final Duration timeout) throws InterruptedException {
    final long deadline = System.nanoTime() + timeout.toNanos();
    return masks.awaitCaughtUp(timeout)
        && corrections.awaitCaughtUp(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
  }

  @Override
  public void close() {
    masks.close();
    corrections.close();
  }
}
