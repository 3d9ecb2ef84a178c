package io.medsam.stream.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.imaging.metrics.SegmentationMetrics;
import io.medsam.stream.trainer.intake.TrainingPair;
import io.medsam.stream.trainer.model.TrainableDecoder;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores the decoder's current weights on holdout pairs the way the decoder-worker serves them: the
 * pair's own box (no jitter), low-res logits upsampled bilinearly to H x W, logit > 0, Dice against
 * the pair's mask; the score is the mean Dice over pairs.
 */
public final class HoldoutEvaluator {

  private final int batchSize;

  /** Evaluates {@code batchSize} pairs per forward pass. */
  public HoldoutEvaluator(final int batchSize) {
    this.batchSize = batchSize;
  }

  /** Mean Dice over the pairs; NaN when there are none. */
  public double meanDice(final TrainableDecoder decoder, final List<TrainingPair> pairs) {
    final double[] dice = perPairDice(decoder, pairs);
    double sum = 0;
    for (final double d : dice) {
      sum += d;
    }
    return dice.length == 0 ? Double.NaN : sum / dice.length;
  }

  /** Dice of each pair, in order. */
  public double[] perPairDice(final TrainableDecoder decoder, final List<TrainingPair> pairs) {
    final List<BinaryMask> masks = predict(decoder, pairs);
    final double[] out = new double[pairs.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = SegmentationMetrics.dice(masks.get(i), pairs.get(i).mask());
    }
    return out;
  }

  /** The pixel overlap of each pair's served mask with its true mask, in order. */
  public List<Overlap> overlaps(final TrainableDecoder decoder, final List<TrainingPair> pairs) {
    final List<BinaryMask> masks = predict(decoder, pairs);
    final List<Overlap> out = new ArrayList<>();
    for (int i = 0; i < masks.size(); i++) {
      out.add(Overlap.of(masks.get(i), pairs.get(i).mask()));
    }
    return out;
  }

  /** The served masks for the pairs' slices and boxes. */
  public List<BinaryMask> predict(final TrainableDecoder decoder, final List<TrainingPair> pairs) {
    final ModelBundle bundle = decoder.bundle();
    final int l = bundle.lowResSize();
    final List<BinaryMask> out = new ArrayList<>();
    for (int start = 0; start < pairs.size(); start += batchSize) {
      final List<PreparedPair> batch = new ArrayList<>();
      for (final TrainingPair p : pairs.subList(start, Math.min(pairs.size(), start + batchSize))) {
        batch.add(PreparedPair.of(p, bundle));
      }
      try (NDManager nd = decoder.newManager()) {
        final NDArray[] in = DecoderFineTuner.evaluationInputs(nd, decoder, batch);
        final NDList result = decoder.forward(in[0], in[1], false);
        final float[] logits = result.get(0).toFloatArray();
        for (int i = 0; i < batch.size(); i++) {
          final float[] one = new float[l * l];
          System.arraycopy(logits, i * l * l, one, 0, l * l);
          final PreparedPair p = batch.get(i);
          out.add(bundle.maskRule().toMask(one, l, bundle.modelSpace(p.height(), p.width())));
        }
      }
    }
    return out;
  }
}
