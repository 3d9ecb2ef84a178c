package io.medsam.stream.trainer.demo;

import io.medsam.stream.imaging.SliceAxis;
import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.imaging.metrics.SegmentationMetrics;
import io.medsam.stream.imaging.metrics.VoxelGrid;
import io.medsam.stream.imaging.preprocess.VolumeSlicer;
import io.medsam.stream.trainer.intake.TrainingPair;
import io.medsam.stream.trainer.model.TrainableDecoder;
import io.medsam.stream.trainer.train.HoldoutEvaluator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-target 3D scores over a slab of slices, as the paper reports them: for each target, the
 * ground truth is the union of its components of at least 100 px on each slice (smaller ones are
 * neither prompted nor scored), the prediction the union of the decoder's masks for those
 * components' boxes; DSC and NSD (1 mm, the volume's spacing) over the stacked slab.
 */
final class PerTargetScores {

  private final Volume labels;
  private final SliceAxis axis;
  private final int from;
  private final int to;

  PerTargetScores(final Volume labels, final SliceAxis axis, final int from, final int to) {
    this.labels = labels;
    this.axis = axis;
    this.from = from;
    this.to = to;
  }

  /** label -> {DSC, NSD}. */
  Map<String, double[]> score(final TrainableDecoder decoder, final List<TrainingPair> pairs) {
    final List<BinaryMask> predicted = new HoldoutEvaluator(16).predict(decoder, pairs);
    final var g = VolumeSlicer.geometry(labels, axis, from);
    final int plane = g.height() * g.width();
    final int depth = to - from + 1;
    final TreeMap<String, boolean[][]> volumes =
        new TreeMap<>((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b)));
    for (int i = 0; i < pairs.size(); i++) {
      final TrainingPair p = pairs.get(i);
      final int k = Integer.parseInt(p.sliceKey().substring(p.sliceKey().lastIndexOf('/') + 1));
      final boolean[][] v =
          volumes.computeIfAbsent(
              p.label(),
              x -> new boolean[][] {new boolean[plane * depth], new boolean[plane * depth]});
      final int base = (k - from) * plane;
      for (int n = 0; n < plane; n++) {
        v[0][base + n] |= p.mask().pixels()[n];
        v[1][base + n] |= predicted.get(i).pixels()[n];
      }
    }
    final VoxelGrid grid =
        new VoxelGrid(
            g.width(),
            g.height(),
            depth,
            g.colSpacing(),
            g.rowSpacing(),
            axis == SliceAxis.AXIAL
                ? labels.dz()
                : axis == SliceAxis.CORONAL ? labels.dy() : labels.dx());
    final Map<String, double[]> out = new TreeMap<>(volumes.comparator());
    volumes.forEach(
        (label, v) ->
            out.put(
                label,
                new double[] {
                  SegmentationMetrics.dice(v[1], v[0]),
                  SegmentationMetrics.nsd(v[1], v[0], grid, 1.0)
                }));
    return out;
  }

  /** A markdown table like the paper's Table 1, with the mean as the last row. */
  static String table(final Map<String, double[]> before, final Map<String, double[]> after) {
    final StringBuilder sb =
        new StringBuilder(
            "| target | DSC before | DSC after | DSC gain | NSD before | NSD after | NSD gain |\n"
                + "|---|---|---|---|---|---|---|\n");
    final double[] sum = new double[4];
    for (final String label : before.keySet()) {
      final double[] b = before.get(label);
      final double[] a = after.get(label);
      sb.append(
          String.format(
              Locale.ROOT,
              "| BA %s | %.4f | %.4f | %+.4f | %.4f | %.4f | %+.4f |%n",
              label,
              b[0],
              a[0],
              a[0] - b[0],
              b[1],
              a[1],
              a[1] - b[1]));
      sum[0] += b[0];
      sum[1] += a[0];
      sum[2] += b[1];
      sum[3] += a[1];
    }
    final int n = before.size();
    sb.append(
        String.format(
            Locale.ROOT,
            "| **mean (%d)** | %.4f | %.4f | %+.4f | %.4f | %.4f | %+.4f |%n",
            n,
            sum[0] / n,
            sum[1] / n,
            (sum[1] - sum[0]) / n,
            sum[2] / n,
            sum[3] / n,
            (sum[3] - sum[2]) / n));
    return sb.toString();
  }
}
