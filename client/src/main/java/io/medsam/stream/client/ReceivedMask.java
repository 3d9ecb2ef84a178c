package io.medsam.stream.client;

import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.MaskStatus;
import io.medsam.stream.imaging.ImageFormatException;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.records.Masks;

/**
 * The MaskResult of a prompt and the latency this client saw (prompt sent to result read).
 *
 * @param prompt the prompt
 * @param result the decoder's answer
 * @param roundTripMillis client-side latency, ms
 */
public record ReceivedMask(SentPrompt prompt, MaskResult result, double roundTripMillis) {

  /**
   * @return whether the decoder produced a mask
   */
  public boolean ok() {
    return result.getStatus() == MaskStatus.OK && result.getMask() != null;
  }

  /**
   * @return the decoded mask
   * @throws ImageFormatException when the RLE is malformed
   * @throws IllegalStateException when the result carries no mask
   */
  public BinaryMask mask() throws ImageFormatException {
    if (!ok()) {
      throw new IllegalStateException(
          "prompt "
              + prompt.promptId()
              + " got "
              + result.getStatus()
              + (result.getReason() == null ? "" : ": " + result.getReason()));
    }
    return Masks.toBinaryMask(result.getMask(), prompt.sliceKey());
  }
}
