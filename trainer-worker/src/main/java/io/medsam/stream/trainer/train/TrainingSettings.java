package io.medsam.stream.trainer.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hyper-parameters of one fine-tuning run (see trainer-worker/README.md for the defaults).
 *
 * @param learningRate Adam learning rate
 * @param steps optimizer steps per run
 * @param batchSize pairs per step
 * @param boxJitterPixels each box side moves outwards by a uniform 0..this many pixels of a
 *     1024-pixel image side (MedSAM's {@code bbox_shift} on its 1024×1024 input; see BoxJitter)
 * @param seed seed of the batch order and the jitter
 */
public record TrainingSettings(
    float learningRate, int steps, int batchSize, int boxJitterPixels, long seed) {

  /** Defaults for streams of tens to hundreds of corrections. */
  public static TrainingSettings defaults() {
    return new TrainingSettings(3e-4f, 300, 8, 20, 42L);
  }

  /** Validates the values. */
  public TrainingSettings {
    if (!(learningRate > 0) || steps <= 0 || batchSize <= 0 || boxJitterPixels < 0) {
      throw new IllegalArgumentException("bad training settings");
    }
  }

  /** As strings, for the trainerConfig of a published DecoderWeights record. */
  public Map<String, String> asMap() {
    final Map<String, String> m = new LinkedHashMap<>();
    m.put("optimizer", "adam");
    m.put("loss", "dice+bce on low-res logits vs area-resampled mask");
    m.put("learningRate", Float.toString(learningRate));
    m.put("steps", Integer.toString(steps));
    m.put("batchSize", Integer.toString(batchSize));
    m.put("boxJitterPixels", Integer.toString(boxJitterPixels));
    m.put("seed", Long.toString(seed));
    return m;
  }
}
