package io.medsam.stream.trainer.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.bundle.DecoderBatch;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.imaging.preprocess.PixelBox;
import io.medsam.stream.trainer.intake.TrainingPair;
import io.medsam.stream.trainer.model.TrainableDecoder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fine-tuning run: Adam steps over shuffled mini-batches of the training pairs, boxes jittered
 * per step, Dice + BCE on the low-res logits. Only the mask-decoder parameters have gradients, so
 * only they move. With validation pairs (a block carved from the training side), the run scores
 * them every {@code evalEvery} steps, stops after {@code patience} scores without a new best and
 * ends with the weights of the best score (the starting weights when no step improved on them).
 */
public final class DecoderFineTuner {

  private static final Logger LOG = LoggerFactory.getLogger(DecoderFineTuner.class);
  private static final int EVAL_BATCH = 16;

  /**
   * What a run did.
   *
   * @param steps optimizer steps taken
   * @param firstLoss loss of the first step
   * @param lastLoss loss of the last step
   * @param bestStep the step whose weights the run ends with (0: the starting weights; {@code
   *     steps} without validation)
   * @param validationBefore mean validation Dice of the starting weights (NaN without validation)
   * @param validationBest mean validation Dice of the weights the run ends with (NaN without)
   */
  public record Outcome(
      int steps,
      double firstLoss,
      double lastLoss,
      int bestStep,
      double validationBefore,
      double validationBest) {}

  private final TrainingSettings settings;

  /** With the run's hyper-parameters. */
  public DecoderFineTuner(final TrainingSettings settings) {
    this.settings = settings;
  }

  /**
   * Trains {@code decoder} in place on {@code pairs}.
   *
   * @throws IllegalArgumentException if there is nothing to train on
   */
  public Outcome train(final TrainableDecoder decoder, final List<TrainingPair> pairs) {
    return train(decoder, pairs, List.of());
  }

  /**
   * Trains {@code decoder} in place on {@code pairs}, stopping early on {@code validation} (none:
   * every step runs and the last weights stay).
   *
   * @throws IllegalArgumentException if there is nothing to train on
   */
  public Outcome train(
      final TrainableDecoder decoder,
      final List<TrainingPair> pairs,
      final List<TrainingPair> validation) {
    if (pairs.isEmpty()) {
      throw new IllegalArgumentException("no training pairs");
    }
    final ModelBundle bundle = decoder.bundle();
    final List<PreparedPair> prepared = new ArrayList<>();
    final Map<SliceEmbedding, float[]> decoded = new IdentityHashMap<>();
    pairs.forEach(p -> prepared.add(PreparedPair.of(p, bundle, decoded)));
    final Random random = new Random(settings.seed());
    final BoxJitter jitter = new BoxJitter(settings.boxJitterPixels(), random);
    final Optimizer adam =
        Optimizer.adam().optLearningRateTracker(Tracker.fixed(settings.learningRate())).build();
    final Map<String, Parameter> params = decoder.trainableParameters();
    final List<PreparedPair> order = new ArrayList<>(prepared);
    int cursor = order.size();
    double first = Double.NaN;
    double last = Double.NaN;
    final HoldoutEvaluator evaluator = new HoldoutEvaluator(EVAL_BATCH);
    final boolean validating = !validation.isEmpty();
    final double validationBefore =
        validating ? evaluator.meanDice(decoder, validation) : Double.NaN;
    double best = validationBefore;
    int bestStep = 0;
    Map<String, float[]> bestWeights = validating ? decoder.trainableWeights() : null;
    int sinceBest = 0;
    int step = 0;
    while (step < settings.steps()) {
      final List<PreparedPair> batch = new ArrayList<>();
      while (batch.size() < Math.min(settings.batchSize(), prepared.size())) {
        if (cursor == order.size()) {
          Collections.shuffle(order, random);
          cursor = 0;
        }
        batch.add(order.get(cursor++));
      }
      try (NDManager nd = decoder.newManager()) {
        final NDArray[] inputs = inputs(nd, decoder, batch, jitter);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          final NDList out = decoder.forward(inputs[0], inputs[1], true);
          final NDArray loss = SegmentationLoss.diceBce(out.get(0), inputs[2]);
          gc.backward(loss);
          last = loss.getFloat();
        }
        for (final Map.Entry<String, Parameter> e : params.entrySet()) {
          final NDArray w = e.getValue().getArray();
          try (NDArray grad = w.getGradient()) {
            adam.update(e.getKey(), w, grad);
            grad.subi(grad);
          }
        }
      }
      if (step == 0) {
        first = last;
      }
      if (step % 25 == 0 || step == settings.steps() - 1) {
        LOG.info(
            "fine-tune step {}/{} loss {}",
            step + 1,
            settings.steps(),
            String.format("%.4f", last));
      }
      step++;
      if (validating && (step % settings.evalEvery() == 0 || step == settings.steps())) {
        final double score = evaluator.meanDice(decoder, validation);
        if (score > best) {
          best = score;
          bestStep = step;
          bestWeights = decoder.trainableWeights();
          sinceBest = 0;
        } else if (++sinceBest >= settings.patience()) {
          LOG.info(
              "early stop at step {}: validation DSC {} has not beaten {} (step {}) in {} scores",
              step,
              String.format("%.4f", score),
              String.format("%.4f", best),
              bestStep,
              sinceBest);
          break;
        }
      }
    }
    if (!validating) {
      return new Outcome(step, first, last, step, Double.NaN, Double.NaN);
    }
    decoder.setTrainableWeights(bestWeights);
    LOG.info(
        "run ends with the weights of step {}: validation DSC {} -> {}",
        bestStep,
        String.format("%.4f", validationBefore),
        String.format("%.4f", best));
    return new Outcome(step, first, last, bestStep, validationBefore, best);
  }

  private static NDArray[] inputs(
      final NDManager nd,
      final TrainableDecoder decoder,
      final List<PreparedPair> batch,
      final BoxJitter jitter) {
    final ModelBundle bundle = decoder.bundle();
    final int per = bundle.embeddingSize();
    final int l = bundle.lowResSize();
    final DecoderBatch packed = new DecoderBatch(bundle, batch.size());
    final float[] target = new float[batch.size() * l * l];
    for (int i = 0; i < batch.size(); i++) {
      final PreparedPair p = batch.get(i);
      final PixelBox box =
          jitter == null ? p.pair().box() : jitter.apply(p.pair().box(), p.height(), p.width());
      packed.put(
          i,
          (out, offset) -> System.arraycopy(p.embedding(), 0, out, offset, per),
          box,
          p.height(),
          p.width());
      System.arraycopy(p.target(), 0, target, i * l * l, l * l);
    }
    return new NDArray[] {
      nd.create(packed.embeddings(), new Shape(packed.embeddingShape())),
      nd.create(packed.boxes(), new Shape(packed.boxShape())),
      nd.create(target, new Shape(batch.size(), 1, l, l))
    };
  }

  /** The decoder inputs for a batch without jitter (evaluation). */
  static NDArray[] evaluationInputs(
      final NDManager nd, final TrainableDecoder decoder, final List<PreparedPair> batch) {
    return inputs(nd, decoder, batch, null);
  }
}
