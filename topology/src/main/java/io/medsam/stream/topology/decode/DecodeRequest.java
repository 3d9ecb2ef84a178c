package io.medsam.stream.topology.decode;

import io.medsam.stream.avro.BoxPrompt;
import io.medsam.stream.avro.SliceEmbedding;
import java.time.Instant;
import java.util.Objects;

/**
 * One prompt paired with the latest embedding of its slice.
 *
 * @param prompt the box prompt; its box has passed validation against the embedding's H x W
 * @param embedding the latest embedding of the prompt's slice
 * @param receivedAt wall-clock time the worker received the prompt
 */
public record DecodeRequest(BoxPrompt prompt, SliceEmbedding embedding, Instant receivedAt) {

  /** Validates that no component is null. */
  public DecodeRequest {
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(embedding, "embedding");
    Objects.requireNonNull(receivedAt, "receivedAt");
  }
}
