package io.medsam.stream.trainer.demo;

import ai.onnxruntime.OrtException;
import io.medsam.stream.avro.Correction;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.bundle.BundleFormatException;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.imaging.SliceAxis;
import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.nifti.NiftiReader;
import io.medsam.stream.imaging.preprocess.IntensityWindow;
import io.medsam.stream.imaging.preprocess.VolumeSlicer;
import io.medsam.stream.trainer.intake.CorrectionValidator;
import io.medsam.stream.trainer.intake.HoldoutSplit;
import io.medsam.stream.trainer.intake.InvalidCorrectionException;
import io.medsam.stream.trainer.intake.TrainingPair;
import io.medsam.stream.trainer.model.TrainableDecoder;
import io.medsam.stream.trainer.train.DecoderFineTuner;
import io.medsam.stream.trainer.train.HoldoutEvaluator;
import io.medsam.stream.trainer.train.TrainingSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fine-tuning demonstration on targets the demo model never saw: Brodmann areas
 * (brodmann.nii.gz) on ch2 axial slices. Corrections for the training slices (one per component of
 * at least 100 px, with its box) fine-tune the decoder exactly as the trainer does; the held-out
 * slices are scored per target in 3D (DSC, NSD at 1 mm) with the base decoder and with the
 * fine-tuned one.
 *
 * <p>{@code BUNDLE TRAIN_RANGES HELD_FROM-HELD_TO [steps] [lr]}, ranges like {@code 40-69,90-119};
 * image and labels from /usr/share/mricron/templates.
 */
public final class BrodmannDemonstration {

  private static final Path TEMPLATES = Path.of("/usr/share/mricron/templates");

  private BrodmannDemonstration() {}

  /** Runs the demonstration and prints the table. */
  public static void main(final String[] args)
      throws IOException, OrtException, BundleFormatException {
    final ModelBundle bundle = ModelBundle.read(Path.of(args[0]));
    final List<int[]> train = new ArrayList<>();
    for (final String r : args[1].split(",")) {
      train.add(range(r));
    }
    final int[] held = range(args[2]);
    final TrainingSettings d = TrainingSettings.defaults();
    final TrainingSettings settings =
        new TrainingSettings(
            args.length > 4 ? Float.parseFloat(args[4]) : d.learningRate(),
            args.length > 3 ? Integer.parseInt(args[3]) : d.steps(),
            args.length > 5 ? Integer.parseInt(args[5]) : d.batchSize(),
            args.length > 6 ? Integer.parseInt(args[6]) : d.boxJitterPixels(),
            d.seed());
    final Volume image = NiftiReader.read(TEMPLATES.resolve("ch2.nii.gz"));
    final Volume labels = NiftiReader.read(TEMPLATES.resolve("brodmann.nii.gz"));
    final long t0 = System.nanoTime();
    final List<TrainingPair> trainPairs = new ArrayList<>();
    for (final int[] r : train) {
      trainPairs.addAll(pairs(bundle, image, labels, r, false));
    }
    final HoldoutSplit split = new HoldoutSplit(0.2);
    final List<TrainingPair> fit =
        trainPairs.stream().filter(p -> !split.isHoldout(p.sliceKey())).toList();
    final List<TrainingPair> validation =
        trainPairs.stream().filter(p -> split.isHoldout(p.sliceKey())).toList();
    final List<TrainingPair> heldPairs = pairs(bundle, image, labels, held, true);
    System.out.printf(
        Locale.ROOT,
        "%d training pairs on axial %s (%d fit, %d trainer holdout), "
            + "%d held-out pairs on axial %d-%d (encoded in %.1f s)%n",
        trainPairs.size(),
        args[1],
        fit.size(),
        validation.size(),
        heldPairs.size(),
        held[0],
        held[1],
        (System.nanoTime() - t0) / 1e9);
    try (TrainableDecoder decoder = TrainableDecoder.load(bundle)) {
      final HoldoutEvaluator gate = new HoldoutEvaluator(16);
      final double gateBefore = gate.meanDice(decoder, validation);
      final PerTargetScores scorer = new PerTargetScores(labels, SliceAxis.AXIAL, held[0], held[1]);
      final Map<String, double[]> before = scorer.score(decoder, heldPairs);
      final long t1 = System.nanoTime();
      final DecoderFineTuner.Outcome out = new DecoderFineTuner(settings).train(decoder, fit);
      System.out.printf(
          Locale.ROOT,
          "fine-tuned %d steps (lr %s, batch %d, jitter %d) in %.1f s,"
              + " loss %.4f -> %.4f, trainer holdout DSC %.4f -> %.4f%n",
          out.steps(),
          settings.learningRate(),
          settings.batchSize(),
          settings.boxJitterPixels(),
          (System.nanoTime() - t1) / 1e9,
          out.firstLoss(),
          out.lastLoss(),
          gateBefore,
          gate.meanDice(decoder, validation));
      final Map<String, double[]> after = scorer.score(decoder, heldPairs);
      System.out.print(PerTargetScores.table(before, after));
    }
  }

  private static List<TrainingPair> pairs(
      final ModelBundle bundle,
      final Volume image,
      final Volume labels,
      final int[] range,
      final boolean holdout)
      throws OrtException, BundleFormatException {
    final IntensityWindow window = IntensityWindow.forScan(image);
    final CorrectionValidator validator =
        new CorrectionValidator(bundle.embeddingShapeArray(), new HoldoutSplit(0.0));
    final List<TrainingPair> out = new ArrayList<>();
    try (SliceEncoder encoder = new SliceEncoder(bundle, 2)) {
      for (int k = range[0]; k <= range[1]; k++) {
        final List<Correction> cs =
            LabelledSlices.corrections(
                labels, "ch2", SliceAxis.AXIAL, List.of(), k, k, "brodmann-demo", Instant.now());
        if (cs.isEmpty()) {
          continue;
        }
        final SliceEmbedding e =
            encoder.encode(
                SliceAxis.AXIAL.sliceKey("ch2", k),
                VolumeSlicer.slice(image, SliceAxis.AXIAL, k, window));
        for (final Correction c : cs) {
          try {
            final TrainingPair p = validator.validate(c, c.getSliceKey(), e, 0, 0);
            out.add(
                new TrainingPair(
                    p.correctionId(),
                    p.sliceKey(),
                    p.label(),
                    p.embedding(),
                    p.mask(),
                    p.box(),
                    holdout,
                    0,
                    0));
          } catch (InvalidCorrectionException ex) {
            throw new IllegalStateException(c.getCorrectionId() + ": " + ex.getMessage(), ex);
          }
        }
      }
    }
    return out;
  }

  private static int[] range(final String s) {
    final String[] p = s.split("-");
    return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])};
  }
}
