package io.medsam.stream.dicom.testing;

import io.medsam.stream.dicom.seg.PatientStudy;
import io.medsam.stream.dicom.seg.Segment;
import io.medsam.stream.dicom.seg.SegmentationSeries;
import io.medsam.stream.dicom.seg.SegmentationWriter;
import io.medsam.stream.dicom.seg.SourceSeries;
import io.medsam.stream.dicom.series.SeriesSpec;
import io.medsam.stream.dicom.series.VolumeSeriesWriter;
import io.medsam.stream.imaging.Affine;
import io.medsam.stream.imaging.ScanMetadata;
import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.mask.BinaryMask;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Small synthetic MR series and a SEG of them, for the Orthanc tests. */
public final class TestSeries {

  private TestSeries() {}

  /**
   * Writes a {@code slices}-slice 16 x 12 MR series (fresh UIDs) of {@code patient} to {@code
   * folder}.
   */
  public static SourceSeries mr(final Path folder, final int slices, final PatientStudy patient)
      throws IOException {
    final int cols = 16;
    final int rows = 12;
    final float[] v = new float[cols * rows * slices];
    for (int n = 0; n < v.length; n++) {
      v[n] = n % 97;
    }
    final Volume volume =
        new Volume(
            v,
            cols,
            rows,
            slices,
            1,
            1,
            2,
            Affine.scaling(1, 1, 2),
            new ScanMetadata("MR", "x", "synthetic", ""));
    return VolumeSeriesWriter.write(
        volume, SeriesSpec.create("MR", patient, "orthanc test", 0), folder);
  }

  /** A test patient with recognizable identifiers. */
  public static PatientStudy patient() {
    return new PatientStudy("", "Test^Patient", "T-1", "", "O", "", "", "", "", "");
  }

  /** A one-segment binary SEG of {@code series} with one pixel set on its middle slice. */
  public static byte[] seg(final SourceSeries series) {
    final boolean[] px = new boolean[series.rows() * series.columns()];
    px[5] = true;
    final int n = series.images().size();
    final List<BinaryMask> masks =
        new ArrayList<>(Collections.nCopies(n, BinaryMask.empty(series.rows(), series.columns())));
    masks.set(n / 2, new BinaryMask(px, series.rows(), series.columns()));
    return new SegmentationWriter(Clock.systemUTC(), "test")
        .write(
            series,
            List.of(Segment.of("target", masks)),
            SegmentationSeries.create(301, "MedSAM masks", "test"));
  }
}
