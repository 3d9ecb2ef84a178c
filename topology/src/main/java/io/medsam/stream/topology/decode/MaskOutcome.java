package io.medsam.stream.topology.decode;

import io.medsam.stream.imaging.mask.BinaryMask;
import java.util.Objects;

/**
 * What a {@link MaskDecoder} made of one request: a mask, or the reason it could not make one. The
 * topology turns it into the MaskResult (in {@link MaskResults}, the one place that builds them).
 */
public sealed interface MaskOutcome permits MaskOutcome.Decoded, MaskOutcome.Failed {

  /**
   * @return the decoder weights version that produced (or failed) it; null when unknown
   */
  String decoderWeightsVersion();

  /**
   * A decoded mask.
   *
   * @param mask the binary mask at the slice's original H x W
   * @param score the predicted IoU
   * @param decoderWeightsVersion the weights that ran
   * @param decodeMillis decoder time for this request's batch up to this request
   */
  record Decoded(BinaryMask mask, float score, String decoderWeightsVersion, double decodeMillis)
      implements MaskOutcome {

    /** Validates that there is a mask. */
    public Decoded {
      Objects.requireNonNull(mask, "mask");
    }
  }

  /**
   * A request this decoder could not decode (e.g. an embedding of another shape); answered ERROR.
   *
   * @param reason why
   * @param decoderWeightsVersion the weights that would have run, may be null
   */
  record Failed(String reason, String decoderWeightsVersion) implements MaskOutcome {

    /** Validates that there is a reason. */
    public Failed {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
