package io.medsam.stream.encoder.bench;

import io.medsam.stream.avro.ImageSlice;
import io.medsam.stream.imaging.Slice2D;
import io.medsam.stream.imaging.SliceAxis;
import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.nifti.NiftiReader;
import io.medsam.stream.imaging.preprocess.IntensityWindow;
import io.medsam.stream.imaging.preprocess.VolumeSlicer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Real preprocessed axial slices of a NIfTI volume (MR percentile window), cycled to N. */
final class BenchSlices {

  private BenchSlices() {}

  static List<ImageSlice> axial(final Path volumeFile, final int count, final String series)
      throws IOException {
    final Volume volume = NiftiReader.read(volumeFile);
    final IntensityWindow window = IntensityWindow.percentileOfPositive(volume.voxels(), 0.5, 99.5);
    final int available = VolumeSlicer.sliceCount(volume, SliceAxis.AXIAL);
    final List<ImageSlice> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      // walk the middle of the brain first so that small N still sees real anatomy
      final int k = (available / 4 + i) % available;
      final Slice2D s = VolumeSlicer.slice(volume, SliceAxis.AXIAL, k, window);
      out.add(
          ImageSlice.newBuilder()
              .setSliceKey(series + "/axial/" + i)
              .setSeriesUid(series)
              .setAxis("axial")
              .setIndex(i)
              .setHeight(s.height())
              .setWidth(s.width())
              .setChannels(1)
              .setPixels(ByteBuffer.wrap(s.pixels()))
              .setPixelSpacingRow(s.rowSpacing())
              .setPixelSpacingCol(s.colSpacing())
              .setSlicePosition(s.position())
              .setModality("MR")
              .setSourceUri(volumeFile.toString())
              .setScanId(series)
              .setCreatedAt(Instant.now())
              .build());
    }
    return out;
  }
}
