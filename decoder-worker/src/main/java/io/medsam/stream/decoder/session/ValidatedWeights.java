package io.medsam.stream.decoder.session;

import io.medsam.stream.bundle.InitializerSpec;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Decoder weights that passed {@link WeightsCheck}: every tensor names a decoder initializer and
 * matches its shape, dtype and byte length.
 *
 * @param version the weights version (named in every MaskResult decoded with them)
 * @param tensors the tensors, each with its manifest entry
 */
public record ValidatedWeights(String version, List<Tensor> tensors) {

  /** Copies the list. */
  public ValidatedWeights {
    tensors = List.copyOf(tensors);
  }

  /**
   * One initializer value.
   *
   * @param spec the manifest entry it replaces
   * @param data little-endian float32 values, row-major (read-only view)
   */
  public record Tensor(InitializerSpec spec, ByteBuffer data) {}
}
