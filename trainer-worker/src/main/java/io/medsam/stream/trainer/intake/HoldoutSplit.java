package io.medsam.stream.trainer.intake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Deterministic train/holdout split by slice: the first 8 bytes of SHA-256(sliceKey), read as an
 * unsigned fraction of 2^64, below the holdout fraction means holdout. Every correction of a slice
 * lands on the same side, on every machine and after every restart.
 *
 * @param holdoutFraction share of slices held out, in [0, 1)
 */
public record HoldoutSplit(double holdoutFraction) {

  /** Validates the fraction. */
  public HoldoutSplit {
    if (!(holdoutFraction >= 0 && holdoutFraction < 1)) {
      throw new IllegalArgumentException("holdout fraction " + holdoutFraction);
    }
  }

  /** True when the slice is held out from training. */
  public boolean isHoldout(final String sliceKey) {
    return position(sliceKey) < holdoutFraction;
  }

  /** The slice's position in [0, 1) under the hash. */
  public static double position(final String sliceKey) {
    try {
      final byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(sliceKey.getBytes(StandardCharsets.UTF_8));
      final long bits = ByteBuffer.wrap(digest, 0, 8).getLong() >>> 11;
      return bits / (double) (1L << 53);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
