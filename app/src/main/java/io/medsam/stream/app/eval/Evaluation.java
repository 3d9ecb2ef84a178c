package io.medsam.stream.app.eval;

import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.client.PipelineClient;
import io.medsam.stream.client.PipelineTimeoutException;
import io.medsam.stream.imaging.ImageFormatException;
import io.medsam.stream.imaging.SliceAxis;
import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.nifti.NiftiReader;
import io.medsam.stream.imaging.preprocess.VolumeSlicer;
import io.medsam.stream.imaging.scan.ScanFormat;
import io.medsam.stream.imaging.scan.ScanReader;
import io.medsam.stream.ingest.ScanPublisher;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One evaluation as {@code medsam eval} and {@code medsam demo} ask for it: reads the image and the
 * label volume, checks they share a grid, plans the prompts and runs them through the pipeline.
 *
 * @param image the scan: NIfTI, or a DICOM series folder or file
 * @param labels the ground-truth label volume (NIfTI) on the same grid (for a DICOM scan: the same
 *     sizes and voxel-to-world affine)
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

  /** Largest difference between two affines' entries that still counts as the same grid. */
  private static final double SAME_AFFINE = 1e-3;

  /**
   * @param from first slice as given, -1 for none
   * @param to last slice as given, -1 for none
   * @return a copy with that range
   */
  public Evaluation withSlices(final int from, final int to) {
    return new Evaluation(image, labels, axis, from, to, labelIds, jitterPixels, seed);
  }

  /**
   * @return the plan (reads the label volume; checks it against the image's header, or a DICOM
   *     image's sizes and affine)
   * @throws IOException when a volume cannot be read or the grids differ
   */
  public EvalPlan plan() throws IOException {
    final Volume labelVolume = NiftiReader.read(labels);
    final int[] imageDims;
    final Volume dicom;
    if (ScanReader.detect(image) == ScanFormat.NIFTI) {
      final var header = NiftiReader.readHeader(image);
      imageDims = new int[] {header.dim()[1], header.dim()[2], header.dim()[3]};
      dicom = null;
    } else {
      // a DICOM series or file, read as ingest reads it (i = column, j = row, k = slice by
      // position); a PNG/JPEG is refused by the reader
      dicom = ScanReader.readVolume(image);
      imageDims = new int[] {dicom.nx(), dicom.ny(), dicom.nz()};
    }
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
    if (dicom != null) {
      checkSameGrid(dicom, labelVolume);
    }
    final int last = VolumeSlicer.sliceCount(labelVolume, axis) - 1;
    return EvalPlan.of(
        labelVolume, axis, from < 0 ? 0 : from, to < 0 ? last : to, labelIds, jitterPixels, seed);
  }

  /**
   * A DICOM series' voxel order comes from its geometry, a label file's from whatever wrote it:
   * equal sizes are not enough, the voxel-to-world affines must agree too (a converter that flipped
   * the rows would otherwise pair each slice with the mirror image of its labels).
   */
  private void checkSameGrid(final Volume dicom, final Volume labelVolume)
      throws ImageFormatException {
    final double[] a = dicom.affine().m();
    final double[] b = labelVolume.affine().m();
    for (int n = 0; n < 12; n++) {
      if (Math.abs(a[n] - b[n]) > SAME_AFFINE) {
        throw new ImageFormatException(
            labels.toString(),
            "its voxel-to-world affine "
                + labelVolume.affine()
                + " is not that of the DICOM series "
                + image
                + " "
                + dicom.affine()
                + ": its voxels are in another order or place; labels must share the series'"
                + " grid (resample or reorient them onto it)");
      }
    }
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
