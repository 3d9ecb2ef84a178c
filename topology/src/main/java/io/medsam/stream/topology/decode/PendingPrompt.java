package io.medsam.stream.topology.decode;

import io.medsam.stream.avro.BoxPrompt;
import java.util.Objects;

/**
 * A prompt held in a state store, waiting for its embedding or for the next decoder batch.
 *
 * @param prompt the decoded prompt
 * @param receivedAtMs wall-clock time the worker received it (epoch ms); timeouts count from here
 * @param sourcePartition partition of medsam.prompts.v1 it came from (for dead letters)
 * @param sourceOffset offset it had there
 */
record PendingPrompt(BoxPrompt prompt, long receivedAtMs, int sourcePartition, long sourceOffset) {

  PendingPrompt {
    Objects.requireNonNull(prompt, "prompt");
  }

  /** State-store key: sliceKey, a NUL separator, promptId, so prompts of a slice are a prefix. */
  String storeKey() {
    return storeKey(prompt.getSliceKey(), prompt.getPromptId());
  }

  static String storeKey(final String sliceKey, final String promptId) {
    return slicePrefix(sliceKey) + promptId;
  }

  static String slicePrefix(final String sliceKey) {
    return sliceKey + '\u0000';
  }
}
