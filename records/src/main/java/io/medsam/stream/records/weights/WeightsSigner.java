package io.medsam.stream.records.weights;

import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.avro.WeightsSignature;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;

/**
 * Signs DecoderWeights records with an Ed25519 private key: the signature covers the record's
 * {@link WeightsDigest} and travels in its {@code signature} field with the key's id. Used where
 * weights are published (the trainer and {@code medsam weights rollback}).
 */
public final class WeightsSigner {

  private final PrivateKey key;
  private final String keyId;

  /**
   * @param key an Ed25519 private key
   * @throws IllegalArgumentException if it is not one
   */
  public WeightsSigner(final PrivateKey key) {
    this.key = key;
    this.keyId = WeightsKeys.keyId(WeightsKeys.publicKeyOf(key));
  }

  /** The id of the public key that verifies this signer's records. */
  public String keyId() {
    return keyId;
  }

  /** A copy of {@code w} carrying a fresh signature (any earlier one replaced). */
  public DecoderWeights sign(final DecoderWeights w) {
    final byte[] value;
    try {
      final Signature ed = Signature.getInstance(WeightsKeys.ALGORITHM);
      ed.initSign(key);
      ed.update(WeightsDigest.of(w));
      value = ed.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with an " + WeightsKeys.ALGORITHM + " key", e);
    }
    return DecoderWeights.newBuilder(w)
        .setSignature(
            WeightsSignature.newBuilder()
                .setAlgorithm(WeightsKeys.ALGORITHM)
                .setDigest(WeightsDigest.NAME)
                .setKeyId(keyId)
                .setValue(ByteBuffer.wrap(value))
                .build())
        .build();
  }
}
