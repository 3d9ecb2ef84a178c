package io.medsam.stream.app.eval;

import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.client.PipelineClient;
import io.medsam.stream.client.PipelineTimeoutException;
import io.medsam.stream.imaging.ImageFormatException;
import io.medsam.stream.imaging.SliceAxis;
import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.nifti.NiftiReader;
import io.medsam.stream.imaging.preprocess.VolumeSlicer;
import io.medsam.stream.ingest.ScanPublisher;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One evaluation as {@code medsam eval} and {@code medsam demo} ask for it: reads the image and the
 * label volume, checks they share a grid, plans the prompts and runs them through the pipeline.
 *
 * @param image the scan (NIfTI)
 * @param labels the ground-truth label volume on the same grid
 * @param axis slicing axis
 * @param from first slice (inclusive), or -1 for the first
 * @param to last slice (inclusive), or -1 for the last
 * @param labelIds targets; empty for every label present in the chosen slices
 * @param jitterPixels box jitter, pixels
 * @param seed jitter seed
 */
public record Evaluation(
    Path image,
    Path labels,
    SliceAxis axis,
    int from,
    int to,
    List<Integer> labelIds,
    int jitterPixels,
    long seed) {

  /**
   * @param from first slice as given, -1 for none
   * @param to last slice as given, -1 for none
   * @return a copy with that range
   */
  public Evaluation withSlices(final int from, final int to) {
    return new Evaluation(image, labels, axis, from, to, labelIds, jitterPixels, seed);
  }

  /**
   * @return the plan (reads the label volume; checks it against the image's header)
   * @throws IOException when a volume cannot be read or the grids differ
   */
  public EvalPlan plan() throws IOException {
    final Volume labelVolume = NiftiReader.read(labels);
    final var header = NiftiReader.readHeader(image);
    final int[] imageDims = {header.dim()[1], header.dim()[2], header.dim()[3]};
    if (imageDims[0] != labelVolume.nx()
        || imageDims[1] != labelVolume.ny()
        || imageDims[2] != labelVolume.nz()) {
      throw new ImageFormatException(
          labels.toString(),
          "is "
              + labelVolume.nx()
              + "x"
              + labelVolume.ny()
              + "x"
              + labelVolume.nz()
              + " but "
              + image
              + " is "
              + imageDims[0]
              + "x"
              + imageDims[1]
              + "x"
              + imageDims[2]
              + ": labels must share the image's grid");
    }
    final int last = VolumeSlicer.sliceCount(labelVolume, axis) - 1;
    return EvalPlan.of(
        labelVolume, axis, from < 0 ? 0 : from, to < 0 ? last : to, labelIds, jitterPixels, seed);
  }

  /**
   * @return the ScanEvent that ingests {@link #image} along {@link #axis}
   * @throws IOException when the file cannot be read
   */
  public ScanEvent scan() throws IOException {
    return ScanPublisher.describe(image, null, axis.wireName());
  }

  /**
   * Plans and runs the evaluation.
   *
   * @param client the pipeline session
   * @param bar progress
   * @param timeout the longest wait for embeddings and again for masks
   * @return the scores
   * @throws IOException when a file cannot be read or the scan cannot be published
   * @throws InterruptedException when interrupted
   * @throws PipelineTimeoutException when the pipeline does not answer in time
   */
  public EvalRun.Result run(
      final PipelineClient client, final ProgressBar bar, final Duration timeout)
      throws IOException, InterruptedException, PipelineTimeoutException {
    final EvalPlan plan = plan();
    if (plan.prompts().isEmpty()) {
      throw new IllegalArgumentException(
          "no target has a component of at least "
              + EvalPlan.MIN_COMPONENT
              + " pixels on the chosen slices");
    }
    return EvalRun.run(client, scan(), plan, LabelNames.beside(labels), bar, timeout);
  }
}
