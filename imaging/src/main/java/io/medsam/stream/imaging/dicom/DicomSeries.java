package io.medsam.stream.imaging.dicom;

import io.medsam.stream.imaging.Affine;
import io.medsam.stream.imaging.ImageFormatException;
import io.medsam.stream.imaging.ScanMetadata;
import io.medsam.stream.imaging.Volume;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Assembles the instances of one series into a {@link Volume}: i = column, j = row, k = slice.
 * Slices are ordered by their position along the slice normal (ImagePositionPatient projected on
 * row cosines x column cosines) or, when positions are missing, by InstanceNumber. The affine maps
 * to RAS+ world coordinates (DICOM's LPS x and y negated), as NIfTI does.
 */
public final class DicomSeries {
  private static final double SAME_POSITION_MM = 1e-4;

  private DicomSeries() {}

  /** Reads every DICOM file in {@code folder}, which must hold exactly one series. */
  public static Volume read(final Path folder) throws IOException {
    return read(folder, null);
  }

  /**
   * Reads the instances of series {@code seriesUid} (or of the only series when null) from the
   * DICOM files in {@code folder}; files without a DICOM signature (README, DICOMDIR...) are
   * skipped.
   */
  public static Volume read(final Path folder, final String seriesUid) throws IOException {
    final List<DicomInstance> instances = new ArrayList<>();
    final List<Path> files;
    try (Stream<Path> s = Files.list(folder)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    for (final Path f : files) {
      if (f.getFileName().toString().equalsIgnoreCase("DICOMDIR") || !looksLikeDicom(f)) {
        continue;
      }
      final DicomInstance inst = DicomReader.read(f);
      if (seriesUid == null || seriesUid.equals(inst.seriesInstanceUid())) {
        instances.add(inst);
      }
    }
    if (instances.isEmpty()) {
      throw new ImageFormatException(
          folder.toString(),
          seriesUid == null
              ? "no DICOM files in the folder"
              : "no instance of series " + seriesUid);
    }
    final long series = instances.stream().map(DicomInstance::seriesInstanceUid).distinct().count();
    if (series > 1) {
      throw new ImageFormatException(
          folder.toString(),
          "the folder holds " + series + " series; name the SeriesInstanceUID to read");
    }
    return assemble(instances, folder.toString());
  }

  /** A file is read as DICOM if it has the Part-10 marker or a .dcm/.dicom name. */
  static boolean looksLikeDicom(final Path f) throws IOException {
    final String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".dcm") || name.endsWith(".dicom")) {
      return true;
    }
    try (InputStream in = Files.newInputStream(f)) {
      return DicomParser.hasPart10Magic(in.readNBytes(132));
    }
  }

  /** Stacks instances of one series (single- or multi-frame) into a volume. */
  public static Volume assemble(final List<DicomInstance> instances, final String source)
      throws ImageFormatException {
    final DicomInstance first = instances.get(0);
    for (final DicomInstance d : instances) {
      if (d.rows() != first.rows() || d.columns() != first.columns()) {
        throw new ImageFormatException(
            source,
            "instances differ in size: "
                + d.source()
                + " is "
                + d.rows()
                + "x"
                + d.columns()
                + ", "
                + first.source()
                + " is "
                + first.rows()
                + "x"
                + first.columns());
      }
      if (d.samplesPerPixel() != 1) {
        throw new ImageFormatException(
            d.source(),
            "colour DICOM (SamplesPerPixel " + d.samplesPerPixel() + ") cannot form a grey volume");
      }
    }
    final List<DicomInstance> sorted = new ArrayList<>(instances);
    final double[] normal = first.sliceNormal();
    final boolean byPosition =
        normal != null
            && instances.size() > 1
            && instances.stream().allMatch(d -> d.imagePosition() != null);
    if (byPosition) {
      sorted.sort(Comparator.comparingDouble(d -> dot(d.imagePosition(), normal)));
    } else {
      sorted.sort(
          Comparator.comparingInt(d -> d.instanceNumber() == null ? 0 : d.instanceNumber()));
    }
    final int rows = first.rows();
    final int cols = first.columns();
    final int nz = sorted.stream().mapToInt(DicomInstance::frames).sum();
    final float[] voxels = new float[rows * cols * nz];
    int offset = 0;
    for (final DicomInstance d : sorted) {
      System.arraycopy(d.pixels(), 0, voxels, offset, d.pixels().length);
      offset += d.pixels().length;
    }
    final double dz = sliceDistance(sorted, normal, byPosition, source);
    final double dx = first.columnSpacing();
    final double dy = first.rowSpacing();
    final Affine affine = affine(sorted.get(0), normal, dx, dy, dz);
    final ScanMetadata meta =
        new ScanMetadata(
            first.modality(),
            first.seriesInstanceUid().isEmpty()
                ? first.sopInstanceUid()
                : first.seriesInstanceUid(),
            source,
            first.seriesDescription());
    return new Volume(voxels, cols, rows, nz, dx, dy, dz, affine, meta);
  }

  private static double sliceDistance(
      final List<DicomInstance> sorted,
      final double[] normal,
      final boolean byPosition,
      final String source)
      throws ImageFormatException {
    if (byPosition) {
      final double span =
          dot(sorted.get(sorted.size() - 1).imagePosition(), normal)
              - dot(sorted.get(0).imagePosition(), normal);
      for (int n = 1; n < sorted.size(); n++) {
        final double step =
            dot(sorted.get(n).imagePosition(), normal)
                - dot(sorted.get(n - 1).imagePosition(), normal);
        if (step < SAME_POSITION_MM) {
          throw new ImageFormatException(
              source,
              "two instances lie at the same slice position: "
                  + sorted.get(n - 1).source()
                  + " and "
                  + sorted.get(n).source());
        }
      }
      return span / (sorted.size() - 1);
    }
    final DicomInstance first = sorted.get(0);
    if (first.spacingBetweenSlices() != null && first.spacingBetweenSlices() > 0) {
      return first.spacingBetweenSlices();
    }
    if (first.sliceThickness() != null && first.sliceThickness() > 0) {
      return first.sliceThickness();
    }
    return 1.0;
  }

  private static Affine affine(
      final DicomInstance first,
      final double[] normal,
      final double dx,
      final double dy,
      final double dz) {
    if (normal == null || first.imagePosition() == null) {
      return Affine.scaling(dx, dy, dz);
    }
    final double[] o = first.imageOrientation();
    final double[] p = first.imagePosition();
    final double[] m = new double[16];
    for (int r = 0; r < 3; r++) {
      final double lpsToRas = r < 2 ? -1 : 1;
      m[4 * r] = lpsToRas * o[r] * dx;
      m[4 * r + 1] = lpsToRas * o[3 + r] * dy;
      m[4 * r + 2] = lpsToRas * normal[r] * dz;
      m[4 * r + 3] = lpsToRas * p[r];
    }
    m[15] = 1;
    return new Affine(m);
  }

  private static double dot(final double[] a, final double[] b) {
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  }
}
