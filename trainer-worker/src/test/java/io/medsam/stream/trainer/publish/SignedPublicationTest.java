package io.medsam.stream.trainer.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.avro.WeightsVerdict;
import io.medsam.stream.records.weights.WeightsKeys;
import io.medsam.stream.records.weights.WeightsSignatureException;
import io.medsam.stream.records.weights.WeightsSigner;
import io.medsam.stream.records.weights.WeightsVerifier;
import io.medsam.stream.trainer.InProcessBroker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Signatures where weights are published, on a real broker: a signing publisher's records verify on
 * both topics as read back; a signed rollback re-signs the record it copies (rollbackOf and time
 * changed) and verifies; a rollback without a key writes the copy unsigned instead of carrying a
 * signature that no longer matches.
 */
class SignedPublicationTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @RegisterExtension static final InProcessBroker broker = new InProcessBroker();

  @Test
  void publicationsAndRollbacksAreSignedWithTheKeyGiven() throws Exception {
    final var keys = WeightsKeys.generate();
    final WeightsSigner signer = new WeightsSigner(keys.getPrivate());
    final WeightsVerifier verifier = new WeightsVerifier(keys.getPublic());
    final WeightsPublisher publisher =
        new WeightsPublisher(broker.bootstrap(), Clock.systemUTC()).signedBy(signer);
    publisher.publish(weights("s", "ft1", 1), TIMEOUT);
    publisher.publish(weights("s", "ft2", 2), TIMEOUT);
    publisher.recordVerdict(
        DecoderWeights.newBuilder(weights("s", "rejected1", 3))
            .setTensors(List.of())
            .setVerdict(WeightsVerdict.REJECTED)
            .build(),
        TIMEOUT);

    final List<DecoderWeights> history = ofModel(broker.weightsHistory());
    assertThat(history)
        .extracting(DecoderWeights::getVersion)
        .containsExactly("ft1", "ft2", "rejected1");
    for (final DecoderWeights w : history) {
      verifier.verify(w);
    }
    for (final DecoderWeights w : ofModel(broker.weights())) {
      verifier.verify(w);
    }

    assertThat(WeightsAdmin.list(broker.bootstrap(), "s"))
        .allSatisfy(line -> assertThat(line).contains("\"signedBy\":\"" + signer.keyId() + "\""));
    final DecoderWeights back =
        WeightsAdmin.rollback(broker.bootstrap(), "s", "ft1", Optional.of(signer));
    assertThat(back.getRollbackOf()).isEqualTo("ft2");
    final List<DecoderWeights> served = ofModel(broker.weights());
    assertThat(served.get(served.size() - 1)).isEqualTo(back);
    verifier.verify(served.get(served.size() - 1));

    final DecoderWeights unsigned = WeightsAdmin.rollback(broker.bootstrap(), "s", "ft2");
    assertThat(unsigned.getSignature()).isNull();
    final List<DecoderWeights> after = ofModel(broker.weights());
    assertThatThrownBy(() -> verifier.verify(after.get(after.size() - 1)))
        .isInstanceOf(WeightsSignatureException.class)
        .hasMessageContaining("not signed");
  }

  private static List<DecoderWeights> ofModel(final List<DecoderWeights> all) {
    return all.stream().filter(w -> w.getModelId().equals("s")).toList();
  }

  private static DecoderWeights weights(final String model, final String version, final int n) {
    final float[] values = new float[16];
    values[n] = n;
    return DecoderWeights.newBuilder()
        .setModelId(model)
        .setVersion(version)
        .setTensors(
            WeightTensors.toRecords(
                Map.of("mask_decoder.w", values), Map.of("mask_decoder.w", new long[] {4, 4})))
        .setHoldoutDscBefore(0.5)
        .setHoldoutDscAfter(0.6)
        .setCreatedAt(Instant.parse("2026-12-01T12:00:00Z").plusSeconds(n))
        .build();
  }
}
