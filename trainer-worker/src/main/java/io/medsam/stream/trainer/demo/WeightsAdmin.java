package io.medsam.stream.trainer.demo;

import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.topology.Topics;
import io.medsam.stream.trainer.publish.WeightsHistory;
import io.medsam.stream.trainer.publish.WeightsListing;
import io.medsam.stream.trainer.publish.WeightsPublicationException;
import io.medsam.stream.trainer.publish.WeightsPublisher;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * {@code medsam weights list} and {@code medsam weights rollback --to VERSION}: the public API the
 * command line calls.
 */
public final class WeightsAdmin {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private WeightsAdmin() {}

  /** One JSON object per record on the weights topic for the model, oldest first. */
  public static List<String> list(final String bootstrap, final String modelId) {
    return history(bootstrap, modelId).records().stream().map(WeightsListing::line).toList();
  }

  /** One JSON object per record on the weights topic, every model, oldest first. */
  public static List<String> listAll(final String bootstrap) {
    return WeightsHistory.readAll(ClientConfigs.consumer(bootstrap, "medsam-weights-admin"),
            Topics.DECODER_WEIGHTS, TIMEOUT).stream().map(WeightsListing::line).toList();
  }

  /**
   * Re-publishes {@code version} of the model so that every decoder serves it again.
   *
   * @param model decoder model id; null means the model that published {@code version}
   *
   * @return the re-published record
   * @throws WeightsPublicationException if the version is unknown or the broker does not take it
   */
  public static DecoderWeights rollback(final String bootstrap, final String model, final String version)
      throws WeightsPublicationException {
    final String modelId = model != null ? model : WeightsHistory.readAll(
            ClientConfigs.consumer(bootstrap, "medsam-weights-admin"), Topics.DECODER_WEIGHTS, TIMEOUT)
        .stream().filter(w -> w.getVersion().equals(version)).map(DecoderWeights::getModelId)
        .reduce((a, b) -> a).orElseThrow(() -> new WeightsPublicationException(
            "version " + version + " is not on " + Topics.DECODER_WEIGHTS, null));
    try (WeightsPublisher publisher =
        new WeightsPublisher(ClientConfigs.producer(bootstrap), Topics.DECODER_WEIGHTS, Clock.systemUTC())) {
      return publisher.rollback(history(bootstrap, modelId), version, TIMEOUT);
    }
  }

  private static WeightsHistory history(final String bootstrap, final String modelId) {
    return WeightsHistory.read(ClientConfigs.consumer(bootstrap, "medsam-weights-admin"),
        Topics.DECODER_WEIGHTS, modelId, TIMEOUT);
  }
}
