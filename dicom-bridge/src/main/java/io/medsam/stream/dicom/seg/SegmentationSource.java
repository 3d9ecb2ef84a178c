package io.medsam.stream.dicom.seg;

import io.medsam.stream.dicom.write.Uids;
import io.medsam.stream.imaging.ImageFormatException;
import io.medsam.stream.imaging.SliceAxis;
import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.dicom.DicomParser;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.imaging.metrics.SliceStack;
import io.medsam.stream.imaging.metrics.VoxelGrid;
import io.medsam.stream.imaging.scan.ScanFormat;
import io.medsam.stream.imaging.scan.ScanReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The DICOM source of a SEG made from the pipeline's masks: the series the SEG references ({@link
 * SourceSeries}) together with the voxel grid the pipeline sliced (the imaging module's reading of
 * the same files, the one ingest uses). Instance k of the source is the pipeline's axial slice k
 * (the slicing convention follows voxel order, so this holds whatever the series' anatomical
 * orientation). Masks of coronal or sagittal slices are put into that grid voxel for voxel and read
 * back per instance: no pixel is interpolated, every mask pixel is one voxel of the source.
 *
 * <p>Only a DICOM source has the UIDs a SEG must reference: a NIfTI file or a PNG/JPEG image is
 * refused by {@link #read(Path)} with the reason, so a caller can refuse before any work is done.
 */
public final class SegmentationSource {
  /** SeriesNumber of the SEG series written from a source. */
  public static final int SERIES_NUMBER = 900;

  /** Longest LO value (SegmentLabel, SeriesDescription, SegmentAlgorithmName). */
  static final int LO_MAX = 64;

  /** Largest distance between the two readings' first slice positions, mm. */
  private static final double SAME_POSITION_MM = 1e-3;

  private final SourceSeries series;
  private final VoxelGrid grid;

  private SegmentationSource(final SourceSeries series, final VoxelGrid grid) {
    this.series = series;
    this.grid = grid;
  }

  /**
   * Describes the scan at {@code image} as a SEG source: a DICOM series folder or a single-frame
   * DICOM file.
   *
   * @throws IllegalArgumentException when {@code image} is not DICOM (a NIfTI file, a PNG/JPEG
   *     image): the message says why a SEG cannot reference it
   * @throws IOException when the DICOM files cannot be read, lack the geometry or UIDs a SEG needs
   *     (the message names the file and the attribute), or are not one series
   */
  public static SegmentationSource read(final Path image) throws IOException {
    final ScanFormat format = ScanReader.detect(image);
    final SourceSeries series =
        switch (format) {
          case NIFTI ->
              throw new IllegalArgumentException(
                  image
                      + " is a NIfTI file: it has no DICOM UIDs (study, series, SOP instances) for"
                      + " a DICOM SEG to reference; give the DICOM series (folder) the scan came"
                      + " from");
          case RASTER ->
              throw new IllegalArgumentException(
                  image
                      + " is a PNG/JPEG image: it has no DICOM UIDs (study, series, SOP instances)"
                      + " for a DICOM SEG to reference; give a DICOM series (folder) or file");
          case DICOM ->
              SourceSeriesReader.fromDataSets(
                  List.of(DicomParser.parse(Files.readAllBytes(image), image.toString())),
                  image.toString());
          case DICOM_SERIES -> SourceSeriesReader.read(image);
        };
    return of(series, ScanReader.readVolume(image));
  }

  /**
   * Pairs {@code series} with {@code volume}, the imaging module's reading of the same files.
   *
   * @throws ImageFormatException when the two disagree on the size, the number of slices or the
   *     first slice's position (they would not pair slice k with instance k)
   */
  public static SegmentationSource of(final SourceSeries series, final Volume volume)
      throws ImageFormatException {
    final String where = volume.metadata().source();
    if (!volume.metadata().seriesUid().equals(series.seriesInstanceUid())) {
      throw new ImageFormatException(
          where, "the volume was read from another series than the instances the SEG references");
    }
    if (volume.nx() != series.columns()
        || volume.ny() != series.rows()
        || volume.nz() != series.images().size()) {
      throw new ImageFormatException(
          where,
          "the volume read from the series is "
              + volume.nx()
              + "x"
              + volume.ny()
              + "x"
              + volume.nz()
              + " (columns x rows x slices) but its instances are "
              + series.columns()
              + "x"
              + series.rows()
              + "x"
              + series.images().size()
              + ": the SEG cannot pair slices with instances");
    }
    // imaging's reader puts the volume's origin at the first slice's ImagePositionPatient (LPS as
    // RAS): the same first instance in both readings means the same order of all of them, since
    // both sort by position along the same slice normal
    final double[] ras = volume.affine().apply(0, 0, 0);
    final double[] first = series.images().get(0).imagePosition();
    final double[] lps = {-ras[0], -ras[1], ras[2]};
    for (int a = 0; a < 3; a++) {
      if (Math.abs(lps[a] - first[a]) > SAME_POSITION_MM) {
        throw new ImageFormatException(
            where,
            "the first slice of the volume read from the series is not its first instance by"
                + " position: the SEG cannot pair slices with instances");
      }
    }
    return new SegmentationSource(series, SliceStack.gridOf(volume));
  }

  /** The series a SEG from this source references. */
  public SourceSeries series() {
    return series;
  }

  /**
   * One mask per image of the source (in its slice order) from the pipeline's masks of slices along
   * {@code axis}; slices without a mask give empty masks.
   *
   * @param axis the axis the masks' slice indices run along ({@code 2d}: the only slice of a
   *     one-image source)
   * @param slices slice index to mask (the pipeline's rows and columns of that slice)
   * @throws IllegalArgumentException when an index is outside the volume or a mask has the wrong
   *     size for its slice
   */
  public List<BinaryMask> instanceMasks(
      final SliceAxis axis, final Map<Integer, BinaryMask> slices) {
    final SliceAxis along = axis == SliceAxis.TWO_D ? twoD() : axis;
    final int count = count(along);
    for (final Map.Entry<Integer, BinaryMask> e : slices.entrySet()) {
      final int index = e.getKey();
      if (index < 0 || index >= count) {
        throw new IllegalArgumentException(
            axis.wireName()
                + " slice "
                + index
                + " is outside the source's "
                + count
                + " "
                + along.wireName()
                + " slices (0-"
                + (count - 1)
                + ")");
      }
      final int[] hw = size(along);
      final BinaryMask m = e.getValue();
      if (m.height() != hw[0] || m.width() != hw[1]) {
        throw new IllegalArgumentException(
            "the mask of "
                + axis.wireName()
                + " slice "
                + index
                + " is "
                + m.height()
                + "x"
                + m.width()
                + ", the slice is "
                + hw[0]
                + "x"
                + hw[1]);
      }
    }
    final List<BinaryMask> out = new ArrayList<>(grid.nz());
    if (along == SliceAxis.AXIAL) {
      for (int k = 0; k < grid.nz(); k++) {
        final BinaryMask m = slices.get(k);
        out.add(m != null ? m : BinaryMask.empty(grid.ny(), grid.nx()));
      }
      return out;
    }
    final boolean[] voxels = new boolean[grid.size()];
    slices.forEach((index, m) -> SliceStack.put(voxels, grid, along, index, m));
    for (int k = 0; k < grid.nz(); k++) {
      out.add(SliceStack.get(voxels, grid, SliceAxis.AXIAL, k));
    }
    return out;
  }

  /**
   * A segment of the default category and type whose masks are {@link #instanceMasks}.
   *
   * @param label SegmentLabel: at most 64 characters, no backslash or control character
   */
  public Segment segment(
      final String label, final SliceAxis axis, final Map<Integer, BinaryMask> slices) {
    return Segment.of(label, instanceMasks(axis, slices));
  }

  /**
   * The Part-10 bytes of one SEG object of {@code segments} on this source, in a new series (fresh
   * UIDs, SeriesNumber {@value #SERIES_NUMBER}).
   *
   * @param segments the segments, from {@link #segment}
   * @param description SeriesDescription and ContentDescription (cut to 64 characters)
   * @param algorithmName SegmentAlgorithmName, e.g. the model and decoder version (cut to 64)
   * @param softwareVersion SoftwareVersions
   * @param clock the content and creation time
   */
  public byte[] write(
      final List<Segment> segments,
      final String description,
      final String algorithmName,
      final String softwareVersion,
      final Clock clock) {
    final SegmentationSeries seg =
        new SegmentationSeries(
            Uids.create(), Uids.create(), SERIES_NUMBER, lo(description), lo(algorithmName));
    return new SegmentationWriter(clock, softwareVersion).write(series, segments, seg);
  }

  /**
   * {@code s} without backslashes and control characters (spaces instead) or surrounding spaces,
   * cut to 64 characters.
   */
  static String lo(final String s) {
    final String clean = s.replaceAll("[\\\\\\p{Cntrl}]", " ").strip();
    return clean.length() <= LO_MAX ? clean : clean.substring(0, LO_MAX).strip();
  }

  private SliceAxis twoD() {
    if (grid.nz() != 1) {
      throw new IllegalArgumentException(
          "a 2d slice names the only image of a one-image source; this one has "
              + grid.nz()
              + " instances");
    }
    return SliceAxis.AXIAL;
  }

  private int count(final SliceAxis axis) {
    return switch (axis) {
      case AXIAL -> grid.nz();
      case CORONAL -> grid.ny();
      case SAGITTAL -> grid.nx();
      case TWO_D -> 1;
    };
  }

  private int[] size(final SliceAxis axis) {
    return switch (axis) {
      case AXIAL -> new int[] {grid.ny(), grid.nx()};
      case CORONAL -> new int[] {grid.nz(), grid.nx()};
      default -> new int[] {grid.nz(), grid.ny()};
    };
  }
}
