package io.medsam.stream.app.eval;

import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.imaging.mask.InscribedEllipse;
import io.medsam.stream.imaging.preprocess.SliceGeometry;
import io.medsam.stream.imaging.preprocess.VolumeSlicer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The baseline every mask must beat, as model/evaluate_demo.py defines it: for each prompt box of a
 * plan, the filled ellipse inscribed in the box ({@link InscribedEllipse}); a target's ellipses are
 * united per slice, like its masks, and scored by the same {@link StackedScore} (same slices, same
 * ground truth, 3D DSC and NSD at 1 mm with the voxel spacing). It needs no pipeline.
 *
 * @param targets one score per target, in the plan's label order
 * @param meanDsc mean DSC over targets
 * @param meanNsd mean NSD over targets
 */
public record EllipseBaseline(List<Target> targets, double meanDsc, double meanNsd) {

  /**
   * The ellipse's score of one target.
   *
   * @param label label value
   * @param dsc 3D Dice over the stacked slices
   * @param nsd 3D normalized surface distance at 1 mm
   */
  public record Target(int label, double dsc, double nsd) {}

  /**
   * @param plan the prompts and the ground truth
   * @return the ellipse's scores of every target of {@code plan}
   */
  public static EllipseBaseline of(final EvalPlan plan) {
    final List<Target> targets = new ArrayList<>();
    for (final int label : plan.labels()) {
      final StackedScore s = StackedScore.of(plan, label, masks(plan, label));
      targets.add(new Target(label, s.dsc(), s.nsd()));
    }
    return new EllipseBaseline(
        List.copyOf(targets),
        targets.stream().mapToDouble(Target::dsc).average().orElse(Double.NaN),
        targets.stream().mapToDouble(Target::nsd).average().orElse(Double.NaN));
  }

  /**
   * @param plan the prompts
   * @param label a target
   * @return the union of the ellipses of the target's prompts on each prompted slice (slice index
   *     -> mask)
   */
  public static Map<Integer, BinaryMask> masks(final EvalPlan plan, final int label) {
    final Map<Integer, BinaryMask> bySlice = new TreeMap<>();
    for (final PlannedPrompt p : plan.prompts()) {
      if (p.label() == label) {
        final SliceGeometry g = VolumeSlicer.geometry(plan.labelVolume(), plan.axis(), p.slice());
        bySlice.merge(
            p.slice(), InscribedEllipse.of(p.box(), g.height(), g.width()), StackedScore::union);
      }
    }
    return bySlice;
  }

  /**
   * @param label a target of the plan
   * @return its score
   * @throws IllegalArgumentException when the plan has no such target
   */
  public Target target(final int label) {
    return targets.stream()
        .filter(t -> t.label() == label)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no ellipse score for label " + label));
  }
}
