package io.medsam.stream.viewer.state;

import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.avro.TrainerStatus;
import io.medsam.stream.avro.WeightsVerdict;
import io.medsam.stream.topology.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The trainer as it publishes itself: the latest TrainerStatus of each decoder model
 * (medsam.trainer-status.v1) and every record of the weights history
 * (medsam.decoder-weights-history.v1: published versions, rollbacks and the gate's rejected
 * candidates, kept without their tensors here).
 */
public final class TrainerBoard implements AutoCloseable {

  /**
   * One record of the weights history, without tensors.
   *
   * @param modelId the decoder model
   * @param version its version
   * @param parentVersion the weights it was trained from
   * @param verdict PUBLISHED or REJECTED
   * @param reason the gate's reason
   * @param holdoutDscBefore held-out mean DSC of the weights in force then
   * @param holdoutDscAfter held-out mean DSC of this version
   * @param trainPairs pairs trained on
   * @param holdoutPairs pairs gated on
   * @param rollbackOf set when this record re-published an earlier version
   * @param createdAt when it was made
   */
  public record Version(
      String modelId,
      String version,
      String parentVersion,
      String verdict,
      String reason,
      Double holdoutDscBefore,
      Double holdoutDscAfter,
      int trainPairs,
      int holdoutPairs,
      String rollbackOf,
      Instant createdAt) {}

  private final Map<String, TrainerStatus> status = new ConcurrentHashMap<>();
  private final List<Version> versions = new ArrayList<>();
  private final TopicLog<TrainerStatus> statusLog;
  private final TopicLog<DecoderWeights> historyLog;

  /**
   * Starts reading both topics.
   *
   * @param bootstrapServers the cluster
   */
  public TrainerBoard(final String bootstrapServers) {
    this.statusLog =
        new TopicLog<>(
            bootstrapServers,
            Topics.TRAINER_STATUS,
            TrainerStatus.class,
            (k, s) -> status.put(s.getModelId(), s));
    this.historyLog =
        new TopicLog<>(
            bootstrapServers,
            Topics.DECODER_WEIGHTS_HISTORY,
            DecoderWeights.class,
            (k, w) -> {
              synchronized (versions) {
                versions.add(
                    new Version(
                        w.getModelId(),
                        w.getVersion(),
                        w.getParentVersion(),
                        w.getVerdict() == null
                            ? WeightsVerdict.PUBLISHED.name()
                            : w.getVerdict().name(),
                        w.getVerdictReason(),
                        w.getHoldoutDscBefore(),
                        w.getHoldoutDscAfter(),
                        w.getTrainPairs(),
                        w.getHoldoutPairs(),
                        w.getRollbackOf(),
                        w.getCreatedAt()));
              }
            });
  }

  /**
   * @return the latest status of each model's trainer, by model id
   */
  public Map<String, TrainerStatus> status() {
    return new TreeMap<>(status);
  }

  /**
   * @return every history record read, oldest first
   */
  public List<Version> versions() {
    synchronized (versions) {
      return List.copyOf(versions);
    }
  }

  /**
   * @return whether both topics were read up to where they ended at start
   */
  public boolean awaitCaughtUp(final Duration timeout) throws InterruptedException {
    final long deadline = System.nanoTime() + timeout.toNanos();
    return statusLog.awaitCaughtUp(timeout)
        && historyLog.awaitCaughtUp(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
  }

  @Override
  public void close() {
    statusLog.close();
    historyLog.close();
  }
}
