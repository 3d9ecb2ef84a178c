package io.medsam.stream.records.weights;

import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.avro.WeightsSignature;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;

/**
 * Checks that a DecoderWeights record was signed by the one trusted Ed25519 key and not changed
 * since: its {@code signature} must be present, name Ed25519 and {@link WeightsDigest#NAME}, and
 * verify over the record's digest with the key. The key id in the record only names a key for the
 * messages; only the signature proves anything.
 */
public final class WeightsVerifier {

  private final PublicKey key;
  private final String keyId;

  /**
   * @param key the trusted Ed25519 public key
   */
  public WeightsVerifier(final PublicKey key) {
    this.key = key;
    this.keyId = WeightsKeys.keyId(key);
  }

  /** The trusted key's id. */
  public String keyId() {
    return keyId;
  }

  /**
   * @throws WeightsSignatureException naming why the record is not trusted
   */
  public void verify(final DecoderWeights w) throws WeightsSignatureException {
    final String what = "weights " + w.getVersion() + " of model " + w.getModelId();
    final WeightsSignature s = w.getSignature();
    if (s == null) {
      throw new WeightsSignatureException(
          what + " are not signed; this decoder serves only weights signed by key " + keyId);
    }
    if (!WeightsKeys.ALGORITHM.equals(s.getAlgorithm())
        || !WeightsDigest.NAME.equals(s.getDigest())) {
      throw new WeightsSignatureException(
          what
              + " are signed with "
              + s.getAlgorithm()
              + " over "
              + s.getDigest()
              + "; this decoder verifies "
              + WeightsKeys.ALGORITHM
              + " over "
              + WeightsDigest.NAME);
    }
    final boolean valid;
    try {
      final Signature ed = Signature.getInstance(WeightsKeys.ALGORITHM);
      ed.initVerify(key);
      ed.update(WeightsDigest.of(w));
      final ByteBuffer value = s.getValue().duplicate();
      final byte[] bytes = new byte[value.remaining()];
      value.get(bytes);
      valid = ed.verify(bytes);
    } catch (GeneralSecurityException e) {
      throw new WeightsSignatureException(what + ": signature cannot be checked: " + e);
    }
    if (!valid) {
      throw new WeightsSignatureException(
          keyId.equals(s.getKeyId())
              ? what
                  + ": the signature does not verify with key "
                  + keyId
                  + " (the record was changed after it was signed)"
              : what
                  + " are signed by key "
                  + s.getKeyId()
                  + ", not by the key this decoder trusts ("
                  + keyId
                  + ")");
    }
  }
}
