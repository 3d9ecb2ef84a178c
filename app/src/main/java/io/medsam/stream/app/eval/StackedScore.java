package io.medsam.stream.app.eval;

import io.medsam.stream.imaging.SliceAxis;
import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.imaging.metrics.SegmentationMetrics;
import io.medsam.stream.imaging.metrics.SliceStack;
import io.medsam.stream.imaging.metrics.VoxelGrid;
import io.medsam.stream.imaging.preprocess.SliceGeometry;
import io.medsam.stream.imaging.preprocess.VolumeSlicer;
import java.util.List;
import java.util.Map;

/**
 * One target's 3D score over a plan's slices: the plan's ground truth and the given per-slice masks
 * are stacked in slice order into a volume with the voxel spacing (in-plane spacing of the slice,
 * slice spacing along the axis), and scored with DSC and NSD at {@value EvalRun#NSD_TOLERANCE_MM}
 * mm. The model's masks ({@link EvalRun}) and the ellipse baseline ({@link EllipseBaseline}) are
 * scored by this one rule.
 *
 * @param dsc 3D Dice over the stacked slices
 * @param nsd 3D normalized surface distance at the tolerance
 */
public record StackedScore(double dsc, double nsd) {

  /**
   * @param plan the slices and the ground truth
   * @param label the target
   * @param predicted the target's mask on each slice (slice index -> mask); a slice without one
   *     counts as empty
   * @return the score
   */
  public static StackedScore of(
      final EvalPlan plan, final int label, final Map<Integer, BinaryMask> predicted) {
    final List<Integer> slices = plan.slices();
    final SliceGeometry g = VolumeSlicer.geometry(plan.labelVolume(), plan.axis(), slices.get(0));
    final VoxelGrid stack =
        new VoxelGrid(
            g.width(),
            g.height(),
            slices.size(),
            g.colSpacing(),
            g.rowSpacing(),
            sliceSpacing(plan.labelVolume(), plan.axis()));
    final boolean[] truth = new boolean[stack.size()];
    final boolean[] pred = new boolean[stack.size()];
    for (int n = 0; n < slices.size(); n++) {
      final int k = slices.get(n);
      SliceStack.put(truth, stack, SliceAxis.AXIAL, n, plan.groundTruth(label, k));
      final BinaryMask m = predicted.get(k);
      if (m != null) {
        SliceStack.put(pred, stack, SliceAxis.AXIAL, n, m);
      }
    }
    return new StackedScore(
        SegmentationMetrics.dice(truth, pred),
        SegmentationMetrics.nsd(truth, pred, stack, EvalRun.NSD_TOLERANCE_MM));
  }

  static double sliceSpacing(final Volume v, final SliceAxis axis) {
    return switch (axis) {
      case AXIAL -> v.dz();
      case CORONAL -> v.dy();
      case SAGITTAL -> v.dx();
      case TWO_D -> 1.0;
    };
  }

  /** The pixel-wise union of two masks of one slice. */
  static BinaryMask union(final BinaryMask a, final BinaryMask b) {
    final boolean[] px = a.pixels().clone();
    for (int n = 0; n < px.length; n++) {
      px[n] |= b.pixels()[n];
    }
    return new BinaryMask(px, a.height(), a.width());
  }
}
