package io.medsam.stream.app.finetune;

import io.medsam.stream.app.client.PipelineSession;
import io.medsam.stream.app.eval.EvalPlan;
import io.medsam.stream.app.eval.EvalRun;
import io.medsam.stream.app.eval.Evaluation;
import io.medsam.stream.app.eval.LabelNames;
import io.medsam.stream.app.eval.PlannedPrompt;
import io.medsam.stream.app.eval.ProgressBar;
import io.medsam.stream.avro.Correction;
import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.client.CorrectionFeed;
import io.medsam.stream.client.LabelledSlices;
import io.medsam.stream.client.PipelineClient;
import io.medsam.stream.client.PipelineTimeoutException;
import io.medsam.stream.client.ReceivedMask;
import io.medsam.stream.imaging.SliceAxis;
import io.medsam.stream.imaging.Volume;
import io.medsam.stream.trainer.FineTuneCycle;
import io.medsam.stream.trainer.TrainerWorker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * One fine-tuning session through the running pipeline, as a hospital would see it:
 *
 * <ol>
 *   <li>the scan is ingested and encoded once (embeddings of the training and held-out slices);
 *   <li>the held-out slices are segmented by the decoder-worker with the weights in force
 *       ("before");
 *   <li>clinicians' corrections for the training slices (one per 8-connected component of at least
 *       100 px of each target, with its box) are published on medsam.corrections.v1 and the
 *       trainer-worker takes them in;
 *   <li>the trainer's trigger starts a run on its own; the candidate passes or fails the holdout
 *       gate; a passing one is published on medsam.decoder-weights.v1;
 *   <li>the decoder-worker hot-swaps it: a probe prompt is repeated until its MaskResult names the
 *       new version;
 *   <li>the held-out slices are segmented again ("after"); every mask must name the new version.
 * </ol>
 *
 * <p>The trainer must run in this JVM (the session reads its run results; the gate's decision is
 * not on any topic when it rejects). Held-out slices are never sent as corrections.
 */
public final class FineTuneDemonstration {

  /**
   * What to run.
   *
   * @param image the scan (NIfTI)
   * @param labels the target label volume on the scan's grid
   * @param trainSlices axial slice ranges whose corrections are published, each {from, to}
   * @param heldOut the axial slice range scored before and after, {from, to}
   * @param timeout the longest wait of each phase
   */
  public record Settings(
      Path image, Path labels, List<int[]> trainSlices, int[] heldOut, Duration timeout) {

    /** Checks that no held-out slice is also a training slice. */
    public Settings {
      for (final int[] r : trainSlices) {
        if (r[0] <= heldOut[1] && heldOut[0] <= r[1]) {
          throw new IllegalArgumentException(
              "training slices "
                  + r[0]
                  + "-"
                  + r[1]
                  + " overlap the held-out slices "
                  + heldOut[0]
                  + "-"
                  + heldOut[1]);
        }
      }
      trainSlices = List.copyOf(trainSlices);
    }
  }

  /**
   * What happened.
   *
   * @param before scores with the weights in force at the start
   * @param corrections what the trainer accepted and rejected
   * @param training the trainer's run over all accepted pairs
   * @param trainingSeconds from the first correction sent to the run's result
   * @param servedAfterSeconds from the run's result to the first mask naming the new version
   * @param after scores with the new version; empty when the gate rejected the candidate
   */
  public record Outcome(
      EvalRun.Result before,
      CorrectionFeed.Report corrections,
      FineTuneCycle.Result training,
      double trainingSeconds,
      double servedAfterSeconds,
      Optional<EvalRun.Result> after) {}

  private final PipelineSession session;
  private final PipelineClient client;
  private final Settings settings;
  private final ProgressBar bar;
  private final Consumer<String> log;

  /**
   * @param session a session whose trainer runs in this JVM
   * @param settings what to run
   * @param bar progress of the evaluations
   * @param log one line per phase
   */
  public FineTuneDemonstration(
      final PipelineSession session,
      final Settings settings,
      final ProgressBar bar,
      final Consumer<String> log) {
    this.session = session;
    this.client = session.client();
    this.settings = settings;
    this.bar = bar;
    this.log = log;
  }

  /**
   * Runs the session.
   *
   * @return what happened
   * @throws IOException when a file cannot be read or publishing fails
   * @throws InterruptedException when interrupted
   * @throws PipelineTimeoutException when a phase does not finish within the timeout
   */
  public Outcome run() throws IOException, InterruptedException, PipelineTimeoutException {
    final TrainerWorker trainer =
        session
            .trainer()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "the fine-tuning demonstration needs the trainer in this process"));
    final Duration timeout = settings.timeout();
    final Evaluation evaluation =
        new Evaluation(
            settings.image(),
            settings.labels(),
            SliceAxis.AXIAL,
            settings.heldOut()[0],
            settings.heldOut()[1],
            List.of(),
            0,
            0);
    final EvalPlan plan = evaluation.plan();
    final ScanEvent scan = evaluation.scan();
    final Volume labels = plan.labelVolume();
    final List<Correction> corrections = corrections(labels, scan.getSeriesUid());
    final List<String> keys = new ArrayList<>();
    for (final int[] r : settings.trainSlices()) {
      for (int k = r[0]; k <= r[1]; k++) {
        keys.add(SliceAxis.AXIAL.sliceKey(scan.getSeriesUid(), k));
      }
    }
    plan.slices().forEach(k -> keys.add(SliceAxis.AXIAL.sliceKey(scan.getSeriesUid(), k)));
    client.prepare(scan, keys, timeout, n -> bar.update("embeddings", n, keys.size()));
    bar.finishLine();

    final LabelNames names = LabelNames.beside(settings.labels());
    final EvalRun.Result before = EvalRun.run(client, scan, plan, names, bar, timeout);
    log.accept(
        String.format(
            "before: mean DSC %.4f, NSD %.4f over %d targets (decoder %s)",
            before.meanDsc(), before.meanNsd(), before.targets().size(), before.decoderVersion()));

    final long sent = System.nanoTime();
    log.accept(
        "publishing "
            + corrections.size()
            + " corrections for axial slices "
            + ranges(settings.trainSlices()));
    final CorrectionFeed.Report report;
    try {
      report =
          CorrectionFeed.publishAndWait(
              client.bootstrapServers(), corrections, trainer.config().groupId(), timeout);
    } catch (ExecutionException e) {
      throw new IOException("publishing corrections failed: " + e.getCause().getMessage(), e);
    }
    log.accept(
        String.format(
            "trainer took them in: %d accepted, %d rejected",
            report.accepted(), report.rejected()));
    if (!report.complete()) {
      throw new PipelineTimeoutException(
          "the trainer did not take every correction in within " + timeout.toSeconds() + " s");
    }
    final FineTuneCycle.Result run = awaitRunOverAllPairs(trainer, timeout);
    final double trainingSeconds = (System.nanoTime() - sent) / 1e9;
    log.accept(
        String.format(
            "training run: %s %s (parent %s), %d train / %d validation / %d held-out / %d gap"
                + " pairs, trainer held-out DSC %.4f -> %.4f; %s",
            run.decision(),
            run.version() == null ? "" : run.version(),
            run.parent(),
            run.trainPairs(),
            run.validationPairs(),
            run.holdoutPairs(),
            run.excludedPairs(),
            run.dscBefore(),
            run.dscAfter(),
            run.reason()));
    if (run.decision() != FineTuneCycle.Decision.PUBLISHED) {
      return new Outcome(before, report, run, trainingSeconds, Double.NaN, Optional.empty());
    }
    final long published = System.nanoTime();
    awaitServed(scan, plan.prompts().get(0), run.version(), timeout);
    final double servedAfter = (System.nanoTime() - published) / 1e9;
    log.accept(
        String.format(
            "decoder-worker serves %s (%.1f s after publication)", run.version(), servedAfter));
    final EvalRun.Result after = EvalRun.run(client, scan, plan, names, bar, timeout);
    if (!after.decoderVersion().equals(run.version())) {
      throw new IllegalStateException(
          "masks after fine-tuning came from decoder weights "
              + after.decoderVersion()
              + ", expected "
              + run.version()
              + " only");
    }
    log.accept(
        String.format(
            "after: mean DSC %.4f, NSD %.4f (decoder %s)",
            after.meanDsc(), after.meanNsd(), after.decoderVersion()));
    return new Outcome(before, report, run, trainingSeconds, servedAfter, Optional.of(after));
  }

  private List<Correction> corrections(final Volume labels, final String seriesUid) {
    final List<Correction> out = new ArrayList<>();
    final Instant now = Instant.now();
    for (final int[] r : settings.trainSlices()) {
      out.addAll(
          LabelledSlices.corrections(
              labels,
              seriesUid,
              SliceAxis.AXIAL,
              List.of(),
              r[0],
              r[1],
              "medsam-finetune-demo",
              now));
    }
    return out;
  }

  /** Waits for a finished run that saw every pair the trainer holds. */
  private static FineTuneCycle.Result awaitRunOverAllPairs(
      final TrainerWorker trainer, final Duration timeout)
      throws InterruptedException, PipelineTimeoutException {
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      final List<FineTuneCycle.Result> results = trainer.scheduler().results();
      if (!results.isEmpty()) {
        final FineTuneCycle.Result last = results.get(results.size() - 1);
        if (last.totalPairs() >= trainer.pairs().size()) {
          return last;
        }
      }
      Thread.sleep(200);
    }
    throw new PipelineTimeoutException(
        "no training run over all "
            + trainer.pairs().size()
            + " pairs finished within "
            + timeout.toSeconds()
            + " s");
  }

  /** Repeats one prompt until its MaskResult names {@code version}. */
  private void awaitServed(
      final ScanEvent scan, final PlannedPrompt probe, final String version, final Duration timeout)
      throws InterruptedException, PipelineTimeoutException {
    final long deadline = System.nanoTime() + timeout.toNanos();
    final String key = SliceAxis.AXIAL.sliceKey(scan.getSeriesUid(), probe.slice());
    while (System.nanoTime() < deadline) {
      final var sentPrompt = client.send(key, probe.box(), "probe");
      client.flush();
      final ReceivedMask r =
          client.await(sentPrompt, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (version.equals(String.valueOf(r.result().getDecoderWeightsVersion()))) {
        return;
      }
      Thread.sleep(250);
    }
    throw new PipelineTimeoutException(
        "the decoder-worker did not serve "
            + version
            + " within "
            + timeout.toSeconds()
            + " s of its publication");
  }

  private static String ranges(final List<int[]> ranges) {
    return String.join(",", ranges.stream().map(r -> r[0] + "-" + r[1]).toList());
  }
}
