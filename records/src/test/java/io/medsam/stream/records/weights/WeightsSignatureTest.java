package io.medsam.stream.records.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.avro.WeightsVerdict;
import io.medsam.stream.avro.serde.AvroCodec;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Signing and verification: a signed record verifies after a trip through the wire codec; an
 * unsigned record, a record changed after signing (one tensor byte, or any covered field) and a
 * record signed by another key are refused, each with its reason.
 */
class WeightsSignatureTest {

  private static final KeyPair KEYS = WeightsKeys.generate();
  private static final KeyPair OTHER = WeightsKeys.generate();

  private final WeightsSigner signer = new WeightsSigner(KEYS.getPrivate());
  private final WeightsVerifier verifier = new WeightsVerifier(KEYS.getPublic());

  @Test
  void signedRecordVerifiesAfterTheWire() throws Exception {
    final DecoderWeights signed = signer.sign(SignedWeights.record());
    assertThat(signed.getSignature().getAlgorithm()).isEqualTo("Ed25519");
    assertThat(signed.getSignature().getDigest()).isEqualTo(WeightsDigest.NAME);
    assertThat(signed.getSignature().getKeyId())
        .isEqualTo(WeightsKeys.keyId(KEYS.getPublic()))
        .isEqualTo(signer.keyId())
        .hasSize(16);
    final AvroCodec<DecoderWeights> codec = AvroCodec.of(DecoderWeights.class);
    final DecoderWeights read = codec.decode(codec.encode(signed), "t", 0, 0L);
    verifier.verify(read);
  }

  @Test
  void unsignedRecordIsRefused() {
    assertThatThrownBy(() -> verifier.verify(SignedWeights.record()))
        .isInstanceOf(WeightsSignatureException.class)
        .hasMessageContaining("ft1-1")
        .hasMessageContaining("not signed")
        .hasMessageContaining(verifier.keyId());
  }

  @Test
  void oneFlippedTensorByteIsRefused() {
    final DecoderWeights signed = signer.sign(SignedWeights.record());
    assertThatThrownBy(() -> verifier.verify(SignedWeights.flipped(signed, 1, 3)))
        .isInstanceOf(WeightsSignatureException.class)
        .hasMessageContaining("does not verify")
        .hasMessageContaining("changed after it was signed");
  }

  @Test
  void recordSignedByAnotherKeyIsRefused() {
    final DecoderWeights signed =
        new WeightsSigner(OTHER.getPrivate()).sign(SignedWeights.record());
    assertThatThrownBy(() -> verifier.verify(signed))
        .isInstanceOf(WeightsSignatureException.class)
        .hasMessageContaining("signed by key " + WeightsKeys.keyId(OTHER.getPublic()))
        .hasMessageContaining("not by the key this decoder trusts (" + verifier.keyId() + ")");
  }

  @Test
  void aSignatureOfAnotherRecordIsRefused() {
    final DecoderWeights a = signer.sign(SignedWeights.record());
    final DecoderWeights b =
        DecoderWeights.newBuilder(SignedWeights.record())
            .setVersion("ft2-2")
            .setSignature(a.getSignature())
            .build();
    assertThatThrownBy(() -> verifier.verify(b)).isInstanceOf(WeightsSignatureException.class);
  }

  @Test
  void everyCoveredFieldChangesTheDigestAndNoOtherDoes() {
    final DecoderWeights base = SignedWeights.record();
    final byte[] digest = WeightsDigest.of(base);
    final List<UnaryOperator<DecoderWeights.Builder>> covered =
        List.of(
            b -> b.setModelId("other"),
            b -> b.setVersion("ft1-2"),
            b -> b.setParentVersion(null),
            b -> b.setRollbackOf("ft9"),
            b -> b.setCreatedAt(Instant.parse("2026-12-01T10:00:00.001Z")),
            b -> b.setVerdict(WeightsVerdict.REJECTED),
            b -> b.setHoldoutDscBefore(0.51),
            b -> b.setHoldoutDscAfter(null),
            b -> b.setTensors(base.getTensors().subList(0, 1)),
            b -> b.setTensors(List.of(base.getTensors().get(1), base.getTensors().get(0))),
            b ->
                b.setTensors(
                    List.of(
                        SignedWeights.tensor("mask_decoder.a.weight", List.of(4L), new byte[16]),
                        base.getTensors().get(1))));
    for (final UnaryOperator<DecoderWeights.Builder> change : covered) {
      assertThat(WeightsDigest.of(change.apply(DecoderWeights.newBuilder(base)).build()))
          .isNotEqualTo(digest);
    }
    assertThat(WeightsDigest.of(SignedWeights.flipped(base, 0, 15))).isNotEqualTo(digest);
    final DecoderWeights informational =
        DecoderWeights.newBuilder(base)
            .setTrainPairs(99)
            .setTrainerConfig(Map.of("lr", "1"))
            .setVerdictReason("why")
            .build();
    assertThat(WeightsDigest.of(informational)).isEqualTo(digest);
    assertThat(WeightsDigest.of(signer.sign(base))).isEqualTo(digest);
  }

  @Test
  void reSigningReplacesTheSignature() throws Exception {
    final DecoderWeights byOther =
        new WeightsSigner(OTHER.getPrivate()).sign(SignedWeights.record());
    final DecoderWeights again =
        signer.sign(DecoderWeights.newBuilder(byOther).setRollbackOf("ft3").build());
    verifier.verify(again);
    assertThat(again.getSignature().getKeyId()).isEqualTo(verifier.keyId());
  }
}
