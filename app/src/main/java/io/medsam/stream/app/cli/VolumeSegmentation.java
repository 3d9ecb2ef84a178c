package io.medsam.stream.app.cli;

import io.medsam.stream.app.eval.Box3dRun;
import io.medsam.stream.app.eval.ProgressBar;
import io.medsam.stream.avro.MaskStatus;
import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.avro.VolumeMask;
import io.medsam.stream.client.PipelineClient;
import io.medsam.stream.client.PipelineTimeoutException;
import io.medsam.stream.imaging.SliceAxis;
import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.imaging.metrics.SliceStack;
import io.medsam.stream.imaging.metrics.VoxelGrid;
import io.medsam.stream.imaging.nifti.NiftiDatatype;
import io.medsam.stream.imaging.nifti.NiftiWriter;
import io.medsam.stream.imaging.preprocess.InvalidBoxException;
import io.medsam.stream.imaging.preprocess.PixelBox;
import io.medsam.stream.imaging.preprocess.SliceGeometry;
import io.medsam.stream.imaging.preprocess.VolumeSlicer;
import io.medsam.stream.imaging.scan.ScanReader;
import io.medsam.stream.ingest.ScanPublisher;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * {@code medsam segment --box3d}: one VolumePrompt through the pipeline (ingest and encode slices
 * z0 to z1 only, send the 3D box, wait for the VolumeMask) and the mask written as NIfTI on the
 * scan's grid. The box is checked against the volume first, so a box outside it is refused here
 * with the problem named.
 */
final class VolumeSegmentation {

  private final Path image;
  private final SliceAxis axis;
  private final Volume volume;
  private final Box3dRun.Box3d box;

  private VolumeSegmentation(
      final Path image, final SliceAxis axis, final Volume volume, final Box3dRun.Box3d box) {
    this.image = image;
    this.axis = axis;
    this.volume = volume;
    this.box = box;
  }

  /**
   * Reads the volume and checks the 3D box against it.
   *
   * @throws IOException when the scan cannot be read
   * @throws IllegalArgumentException naming the problem with the box
   */
  static VolumeSegmentation prepare(final Path image, final SliceAxis axis, final List<Double> b)
      throws IOException {
    final Volume volume = ScanReader.readVolume(image);
    return new VolumeSegmentation(image, axis, volume, check(b, volume, axis));
  }

  /** The 3D box {x0, y0, z0, x1, y1, z1}, checked against the volume along the axis. */
  static Box3dRun.Box3d check(final List<Double> b, final Volume volume, final SliceAxis axis) {
    if (b.size() != 6) {
      throw new IllegalArgumentException("--box3d needs x0,y0,z0,x1,y1,z1");
    }
    final int z0 = (int) Math.round(b.get(2));
    final int z1 = (int) Math.round(b.get(5));
    final int depth = VolumeSlicer.sliceCount(volume, axis);
    if (z1 < z0) {
      throw new IllegalArgumentException("--box3d: z range is inverted: z1 " + z1 + " < z0 " + z0);
    }
    if (z0 < 0 || z1 >= depth) {
      throw new IllegalArgumentException(
          "--box3d: z range "
              + z0
              + "-"
              + z1
              + " lies outside the volume's "
              + depth
              + " "
              + axis.wireName()
              + " slices (0-"
              + (depth - 1)
              + ")");
    }
    final SliceGeometry g = VolumeSlicer.geometry(volume, axis, z0);
    try {
      final PixelBox box =
          new PixelBox(b.get(0), b.get(1), b.get(3), b.get(4))
              .validate(g.height(), g.width(), "--box3d");
      return new Box3dRun.Box3d(box, z0, z1);
    } catch (final InvalidBoxException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /**
   * What a walk gave back.
   *
   * @param masks the mask of each slice walked (index along the axis)
   * @param encoderModelId the encoder of the embeddings the masks were decoded from
   * @param decoderVersion the decoder weights version of the first step
   */
  record Walked(Map<Integer, BinaryMask> masks, String encoderModelId, String decoderVersion) {}

  /** The slicing axis of the walk. */
  SliceAxis axis() {
    return axis;
  }

  /** Ingests the slices, walks the box, writes the NIfTI mask; returns the masks. */
  Walked run(
      final Path out, final PipelineClient client, final Duration timeout, final PrintWriter stdout)
      throws IOException, InterruptedException, PipelineTimeoutException {
    final List<Integer> slices = IntStream.rangeClosed(box.z0(), box.z1()).boxed().toList();
    final ScanEvent scan = ScanPublisher.describe(image, null, axis.wireName(), slices);
    final List<String> keys =
        slices.stream().map(k -> axis.sliceKey(scan.getSeriesUid(), k)).toList();
    final ProgressBar bar = ProgressBar.onStderr();
    client.prepare(scan, keys, timeout, n -> bar.update("embeddings", n, keys.size()));
    bar.finishLine();
    final long t0 = System.nanoTime();
    final String id =
        client.sendVolume(
            scan.getSeriesUid(), axis.wireName(), box.box(), box.z0(), box.z1(), null);
    final VolumeMask v = client.awaitVolume(id, timeout);
    final double ms = (System.nanoTime() - t0) / 1e6;
    if (v.getStatus() != MaskStatus.OK) {
      throw new IllegalStateException("the walk answered " + v.getStatus() + ": " + v.getReason());
    }
    final Map<Integer, BinaryMask> masks = Box3dRun.masks(v);
    final VoxelGrid grid = SliceStack.gridOf(volume);
    final boolean[] voxels = new boolean[volume.voxelCount()];
    masks.forEach((k, m) -> SliceStack.put(voxels, grid, axis, k, m));
    final float[] values = new float[voxels.length];
    long count = 0;
    for (int n = 0; n < voxels.length; n++) {
      if (voxels[n]) {
        values[n] = 1f;
        count++;
      }
    }
    final Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    NiftiWriter.write(
        new Volume(
            values,
            volume.nx(),
            volume.ny(),
            volume.nz(),
            volume.dx(),
            volume.dy(),
            volume.dz(),
            volume.affine(),
            volume.metadata()),
        NiftiDatatype.UINT8,
        "medsam segment --box3d " + id,
        out);
    stdout.printf(
        "series %s %s, 3D box %s z %d-%d: %d slices walked %s, timed out %s%n",
        scan.getSeriesUid(),
        axis.wireName(),
        box.box(),
        box.z0(),
        box.z1(),
        v.getVisitedSlices().size(),
        v.getVisitedSlices(),
        v.getTimedOutSlices());
    stdout.printf(
        "%d voxels, walk %.0f ms (%.0f ms a slice), decoder %s%n",
        count,
        ms,
        ms / Math.max(1, v.getVisitedSlices().size()),
        v.getSteps().isEmpty() ? "-" : v.getSteps().get(0).getDecoderWeightsVersion());
    stdout.printf("mask %s (NIfTI on the scan's grid)%n", out);
    stdout.flush();
    return new Walked(
        masks,
        v.getSteps().isEmpty() ? null : v.getSteps().get(0).getEncoderModelId(),
        v.getSteps().isEmpty() ? null : v.getSteps().get(0).getDecoderWeightsVersion());
  }
}
