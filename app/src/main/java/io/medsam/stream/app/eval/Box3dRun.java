package io.medsam.stream.app.eval;

import io.medsam.stream.avro.MaskStatus;
import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.avro.SliceStep;
import io.medsam.stream.avro.VolumeMask;
import io.medsam.stream.client.PipelineClient;
import io.medsam.stream.client.PipelineTimeoutException;
import io.medsam.stream.imaging.ImageFormatException;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.imaging.preprocess.PixelBox;
import io.medsam.stream.records.Masks;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The box3d protocol (issue 16; how the CVPR 2024 "MedSAM on laptop" challenge scores 3D images):
 * one 3D box per target, the bounding box of its ground truth over the plan's slices (x/y over
 * every slice, z from its first to its last slice), sent as one VolumePrompt; the VolumeMask's
 * slices are scored like the per-slice protocol's masks ({@link StackedScore}, same slices, same
 * ground truth), so the two tables differ only by the prompts.
 */
public final class Box3dRun {

  /**
   * One target's walk.
   *
   * @param label the target
   * @param name its name
   * @param box the x/y box
   * @param z0 first slice
   * @param z1 last slice
   * @param visited slices walked
   * @param timedOut slices whose step timed out
   * @param dsc 3D DSC over the plan's slices
   * @param nsd 3D NSD at 1 mm
   * @param walkMillis VolumePrompt sent to VolumeMask received
   */
  public record TargetWalk(
      int label,
      String name,
      PixelBox box,
      int z0,
      int z1,
      int visited,
      int timedOut,
      double dsc,
      double nsd,
      double walkMillis) {}

  private Box3dRun() {}

  /**
   * A 3D box: x/y in pixels of the slices, z0..z1 slice indices (inclusive).
   *
   * @param box the x/y box
   * @param z0 first slice
   * @param z1 last slice
   */
  public record Box3d(PixelBox box, int z0, int z1) {}

  /** The 3D box of a target's ground truth over the plan's slices; empty when it has none. */
  public static Optional<Box3d> box3d(final EvalPlan plan, final int label) {
    double x0 = Double.MAX_VALUE;
    double y0 = Double.MAX_VALUE;
    double x1 = -1;
    double y1 = -1;
    int z0 = -1;
    int z1 = -1;
    for (final int k : plan.slices()) {
      final Optional<PixelBox> b = plan.groundTruth(label, k).boundingBox();
      if (b.isPresent()) {
        x0 = Math.min(x0, b.get().x0());
        y0 = Math.min(y0, b.get().y0());
        x1 = Math.max(x1, b.get().x1());
        y1 = Math.max(y1, b.get().y1());
        z0 = z0 < 0 ? k : z0;
        z1 = k;
      }
    }
    return z0 < 0 ? Optional.empty() : Optional.of(new Box3d(new PixelBox(x0, y0, x1, y1), z0, z1));
  }

  /**
   * Walks every target of the plan, one VolumePrompt at a time (the embeddings must be there: run
   * the per-slice protocol, or {@link PipelineClient#prepare}, first).
   *
   * @return one walk per target, in label order
   */
  public static List<TargetWalk> run(
      final PipelineClient client,
      final ScanEvent scan,
      final EvalPlan plan,
      final LabelNames names,
      final ProgressBar bar,
      final Duration timeout)
      throws InterruptedException, PipelineTimeoutException, ImageFormatException {
    final List<TargetWalk> out = new ArrayList<>();
    int done = 0;
    for (final int label : plan.labels()) {
      bar.update("walks", done++, plan.labels().size());
      final Optional<Box3d> b = box3d(plan, label);
      if (b.isEmpty()) {
        continue;
      }
      final PixelBox box = b.get().box();
      final int z0 = b.get().z0();
      final int z1 = b.get().z1();
      final long t0 = System.nanoTime();
      final String id =
          client.sendVolume(
              scan.getSeriesUid(), plan.axis().wireName(), box, z0, z1, Integer.toString(label));
      final VolumeMask v = client.awaitVolume(id, timeout);
      final double ms = (System.nanoTime() - t0) / 1e6;
      if (v.getStatus() != MaskStatus.OK) {
        throw new IllegalStateException(
            "the walk of label " + label + " answered " + v.getStatus() + ": " + v.getReason());
      }
      final Map<Integer, BinaryMask> masks = masks(v);
      final StackedScore s = StackedScore.of(plan, label, masks);
      out.add(
          new TargetWalk(
              label,
              names.name(label),
              box,
              z0,
              z1,
              v.getVisitedSlices().size(),
              v.getTimedOutSlices().size(),
              s.dsc(),
              s.nsd(),
              ms));
    }
    bar.update("walks", plan.labels().size(), plan.labels().size());
    bar.finishLine();
    return out;
  }

  /** The VolumeMask's masks by slice index (steps without a mask are left out: empty). */
  public static Map<Integer, BinaryMask> masks(final VolumeMask v) throws ImageFormatException {
    final Map<Integer, BinaryMask> masks = new TreeMap<>();
    for (final SliceStep step : v.getSteps()) {
      if (step.getMask() != null) {
        masks.put(step.getIndex(), Masks.toBinaryMask(step.getMask(), step.getSliceKey()));
      }
    }
    return masks;
  }

  /** Prints per-slice and box3d scores side by side, then both means. */
  public static void printComparison(
      final EvalRun.Result perSlice, final List<TargetWalk> walks, final PrintWriter out) {
    final String row = "%-22s %7s %8s %9s %9s %9s %9s %8s %10s%n";
    out.printf(
        row,
        "target",
        "prompts",
        "3D box z",
        "slice DSC",
        "box3d DSC",
        "slice NSD",
        "box3d NSD",
        "timeouts",
        "walk");
    double sd = 0;
    double bd = 0;
    double sn = 0;
    double bn = 0;
    for (final TargetWalk w : walks) {
      final TargetScore t =
          perSlice.targets().stream().filter(x -> x.label() == w.label()).findFirst().orElseThrow();
      out.printf(
          row,
          EvalReport.truncate(w.label() + " " + w.name(), 22),
          t.prompts(),
          w.z0() + "-" + w.z1(),
          String.format("%.3f", t.dsc()),
          String.format("%.3f", w.dsc()),
          String.format("%.3f", t.nsd()),
          String.format("%.3f", w.nsd()),
          w.timedOut(),
          String.format("%.1f s", w.walkMillis() / 1000));
      sd += t.dsc();
      bd += w.dsc();
      sn += t.nsd();
      bn += w.nsd();
    }
    final int n = walks.size();
    out.printf(
        row,
        "mean (" + n + " targets)",
        "",
        "",
        String.format("%.3f", sd / n),
        String.format("%.3f", bd / n),
        String.format("%.3f", sn / n),
        String.format("%.3f", bn / n),
        "",
        "");
    out.flush();
  }
}
