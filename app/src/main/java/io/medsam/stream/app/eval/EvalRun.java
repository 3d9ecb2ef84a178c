package io.medsam.stream.app.eval;

import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.client.PipelineClient;
import io.medsam.stream.client.PipelineTimeoutException;
import io.medsam.stream.client.ReceivedMask;
import io.medsam.stream.client.SentPrompt;
import io.medsam.stream.imaging.ImageFormatException;
import io.medsam.stream.imaging.SliceAxis;
import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.imaging.metrics.SliceStack;
import io.medsam.stream.imaging.metrics.VoxelGrid;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs an {@link EvalPlan} through the pipeline: makes sure the scan's slices are embedded, sends
 * the BoxPrompts to medsam.prompts.v1 one slice at a time, collects the MaskResults from
 * medsam.masks.v1, unites a target's masks per slice, stacks the chosen slices into a volume and
 * scores each target in 3D (DSC, and NSD at {@value #NSD_TOLERANCE_MM} mm with the voxel spacing).
 */
public final class EvalRun {

  /** NSD tolerance of the MedSAM evaluation. */
  public static final double NSD_TOLERANCE_MM = 1.0;

  private EvalRun() {}

  /**
   * The outcome of a run.
   *
   * @param plan what was asked
   * @param targets one score per target, in label order
   * @param meanDsc mean DSC over targets
   * @param meanNsd mean NSD over targets
   * @param decoderVersion decoder weights version of the masks (several joined with "+")
   * @param encoderModelId encoder of the embeddings the masks were decoded from
   * @param masks the predicted mask of each target on each slice (label -> slice -> mask)
   * @param predictedLabels the predicted label volume on the labels' grid (later targets win)
   * @param ingested whether the scan was published (false: embeddings were reused)
   */
  public record Result(
      EvalPlan plan,
      List<TargetScore> targets,
      double meanDsc,
      double meanNsd,
      String decoderVersion,
      String encoderModelId,
      Map<Integer, Map<Integer, BinaryMask>> masks,
      Volume predictedLabels,
      boolean ingested) {}

  /**
   * @param client the pipeline session
   * @param scan the ScanEvent of the image (its series id names the slices)
   * @param plan prompts and ground truth
   * @param names label names for the table
   * @param bar progress
   * @param timeout the longest wait for embeddings, and again for the masks
   * @return the scores
   * @throws IOException when publishing the scan fails
   * @throws InterruptedException when interrupted
   * @throws PipelineTimeoutException when the pipeline does not answer in time
   * @throws ImageFormatException when a MaskResult carries a malformed mask
   */
  public static Result run(
      final PipelineClient client,
      final ScanEvent scan,
      final EvalPlan plan,
      final LabelNames names,
      final ProgressBar bar,
      final Duration timeout)
      throws IOException, InterruptedException, PipelineTimeoutException, ImageFormatException {
    final SliceAxis axis = plan.axis();
    final List<String> keys =
        plan.slices().stream().map(k -> axis.sliceKey(scan.getSeriesUid(), k)).toList();
    final boolean ingested =
        client.prepare(scan, keys, timeout, n -> bar.update("embeddings", n, keys.size()));
    final Map<Integer, Map<Integer, BinaryMask>> masks = new TreeMap<>();
    final Map<Integer, List<Double>> latencies = new HashMap<>();
    final Map<String, Integer> versions = new LinkedHashMap<>();
    String encoder = null;
    final long deadline = System.nanoTime() + timeout.toNanos();
    final List<PlannedPrompt> all = plan.prompts();
    int done = 0;
    // one slice at a time, as a reader boxes the structures of the slice in front of them: the
    // latency measured is that of an interactive request, not of a queue behind a bulk load
    for (int from = 0; from < all.size(); ) {
      int to = from;
      while (to < all.size() && all.get(to).slice() == all.get(from).slice()) {
        to++;
      }
      final List<SentPrompt> sent = new ArrayList<>(to - from);
      for (final PlannedPrompt p : all.subList(from, to)) {
        sent.add(
            client.send(
                axis.sliceKey(scan.getSeriesUid(), p.slice()),
                p.box(),
                Integer.toString(p.label())));
      }
      client.flush();
      for (int i = 0; i < sent.size(); i++) {
        bar.update("masks", done++, all.size());
        final PlannedPrompt p = all.get(from + i);
        final ReceivedMask r =
            client.await(sent.get(i), Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        latencies.computeIfAbsent(p.label(), l -> new ArrayList<>()).add(r.roundTripMillis());
        versions.merge(String.valueOf(r.result().getDecoderWeightsVersion()), 1, Integer::sum);
        encoder = r.result().getEncoderModelId();
        if (r.ok()) {
          masks
              .computeIfAbsent(p.label(), l -> new TreeMap<>())
              .merge(p.slice(), r.mask(), StackedScore::union);
        }
      }
      from = to;
    }
    bar.update("masks", all.size(), all.size());
    bar.update("scoring", 0, plan.labels().size());
    final List<TargetScore> scores = new ArrayList<>();
    int scored = 0;
    for (final int label : plan.labels()) {
      final Map<Integer, BinaryMask> predicted = masks.getOrDefault(label, Map.of());
      scores.add(score(plan, label, predicted, names, latencies.get(label)));
      bar.update("scoring", ++scored, plan.labels().size());
    }
    bar.finishLine();
    return new Result(
        plan,
        scores,
        scores.stream().mapToDouble(TargetScore::dsc).average().orElse(Double.NaN),
        scores.stream().mapToDouble(TargetScore::nsd).average().orElse(Double.NaN),
        String.join("+", versions.keySet()),
        encoder,
        masks,
        labelVolume(plan, masks),
        ingested);
  }

  private static TargetScore score(
      final EvalPlan plan,
      final int label,
      final Map<Integer, BinaryMask> predicted,
      final LabelNames names,
      final List<Double> latencies) {
    final StackedScore s = StackedScore.of(plan, label, predicted);
    final int prompts = (int) plan.prompts().stream().filter(p -> p.label() == label).count();
    return new TargetScore(
        label,
        names.name(label),
        plan.promptedSlices(label),
        prompts,
        s.dsc(),
        s.nsd(),
        median(latencies));
  }

  static double median(final List<Double> values) {
    if (values == null || values.isEmpty()) {
      return Double.NaN;
    }
    final double[] s = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static Volume labelVolume(
      final EvalPlan plan, final Map<Integer, Map<Integer, BinaryMask>> masks) {
    final Volume ref = plan.labelVolume();
    final VoxelGrid grid = SliceStack.gridOf(ref);
    final float[] out = new float[ref.voxelCount()];
    final boolean[] one = new boolean[ref.voxelCount()];
    for (final var byLabel : masks.entrySet()) {
      java.util.Arrays.fill(one, false);
      for (final var bySlice : byLabel.getValue().entrySet()) {
        SliceStack.put(one, grid, plan.axis(), bySlice.getKey(), bySlice.getValue());
      }
      for (int n = 0; n < out.length; n++) {
        if (one[n]) {
          out[n] = byLabel.getKey();
        }
      }
    }
    return new Volume(
        out,
        ref.nx(),
        ref.ny(),
        ref.nz(),
        ref.dx(),
        ref.dy(),
        ref.dz(),
        ref.affine(),
        ref.metadata());
  }
}
