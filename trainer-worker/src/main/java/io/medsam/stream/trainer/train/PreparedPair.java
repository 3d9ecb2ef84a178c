package io.medsam.stream.trainer.train;

import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.trainer.intake.TrainingPair;
import java.util.Map;

/**
 * A pair with its tensors decoded once per run: embedding values and the L x L soft target.
 *
 * @param pair the labelled pair
 * @param embedding C x h x w floats
 * @param target L x L floats in [0, 1]
 */
record PreparedPair(TrainingPair pair, float[] embedding, float[] target) {

  static PreparedPair of(final TrainingPair pair, final ModelBundle bundle) {
    return new PreparedPair(pair, pair.embedding().values(), target(pair, bundle));
  }

  /** As {@link #of}, decoding each slice's embedding once (pairs of a slice share it). */
  static PreparedPair of(
      final TrainingPair pair,
      final ModelBundle bundle,
      final Map<SliceEmbedding, float[]> decoded) {
    return new PreparedPair(
        pair,
        decoded.computeIfAbsent(pair.embedding().record(), r -> pair.embedding().values()),
        target(pair, bundle));
  }

  private static float[] target(final TrainingPair pair, final ModelBundle bundle) {
    final int h = pair.embedding().imageHeight();
    final int w = pair.embedding().imageWidth();
    return LowResTarget.of(pair.mask(), bundle.modelSpace(h, w), bundle.lowResSize());
  }

  int height() {
    return pair.embedding().imageHeight();
  }

  int width() {
    return pair.embedding().imageWidth();
  }
}
