package io.medsam.stream.trainer.publish;

import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.records.weights.WeightsSigner;
import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.topology.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code medsam weights list} and {@code medsam weights rollback --to VERSION}: the public API the
 * command line calls. Both read the weights history topic ({@link Topics#DECODER_WEIGHTS_HISTORY},
 * kept forever), so every version ever published can be listed and rolled back to, whatever the log
 * cleaner has removed from the compacted serving topic.
 */
public final class WeightsAdmin {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String GROUP = "medsam-weights-admin";

  private WeightsAdmin() {}

  /** One JSON object per published record of the model, oldest first. */
  public static List<String> list(final String bootstrap, final String modelId) {
    return history(bootstrap, modelId).records().stream().map(WeightsListing::line).toList();
  }

  /** One JSON object per published record, every model, each model's oldest first. */
  public static List<String> listAll(final String bootstrap) {
    return readAll(bootstrap).stream().map(WeightsListing::line).toList();
  }

  /**
   * Re-publishes {@code version} of the model (to the history and the serving topic, in one
   * transaction) so that every decoder serves it again.
   *
   * @param model decoder model id; null means the one model that published {@code version}
   * @return the re-published record
   * @throws WeightsPublicationException if the version is unknown (or, without a model, was
   *     published by several models) or the broker does not take it
   */
  public static DecoderWeights rollback(
      final String bootstrap, final String model, final String version)
      throws WeightsPublicationException {
    return rollback(bootstrap, model, version, Optional.empty());
  }

  /**
   * Like {@link #rollback(String, String, String)}, the re-published record signed by {@code
   * signer} when one is given ({@code --weights-signing-key}), else unsigned.
   *
   * @throws WeightsPublicationException as there
   */
  public static DecoderWeights rollback(
      final String bootstrap,
      final String model,
      final String version,
      final Optional<WeightsSigner> signer)
      throws WeightsPublicationException {
    final String modelId = model != null ? model : modelOf(bootstrap, version);
    final WeightsPublisher unsigned = new WeightsPublisher(bootstrap, Clock.systemUTC());
    return signer
        .map(unsigned::signedBy)
        .orElse(unsigned)
        .rollback(history(bootstrap, modelId), version, TIMEOUT);
  }

  private static String modelOf(final String bootstrap, final String version)
      throws WeightsPublicationException {
    final List<String> models =
        readAll(bootstrap).stream()
            .filter(w -> w.getVersion().equals(version))
            .map(DecoderWeights::getModelId)
            .distinct()
            .toList();
    if (models.isEmpty()) {
      throw new WeightsPublicationException(
          "version " + version + " is not on " + Topics.DECODER_WEIGHTS_HISTORY, null);
    }
    if (models.size() > 1) {
      throw new WeightsPublicationException(
          "version "
              + version
              + " was published by several "
              + "models "
              + models
              + ": name one with --model",
          null);
    }
    return models.get(0);
  }

  private static List<DecoderWeights> readAll(final String bootstrap) {
    return WeightsHistory.readAll(
        ClientConfigs.consumer(bootstrap, GROUP), Topics.DECODER_WEIGHTS_HISTORY, TIMEOUT);
  }

  private static WeightsHistory history(final String bootstrap, final String modelId) {
    return WeightsHistory.read(
        ClientConfigs.consumer(bootstrap, GROUP), Topics.DECODER_WEIGHTS_HISTORY, modelId, TIMEOUT);
  }
}
