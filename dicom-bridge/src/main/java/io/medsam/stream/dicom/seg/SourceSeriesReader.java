package io.medsam.stream.dicom.seg;

import io.medsam.stream.imaging.ImageFormatException;
import io.medsam.stream.imaging.dicom.DicomDataset;
import io.medsam.stream.imaging.dicom.DicomParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Describes a series of single-frame images as a {@link SourceSeries} (which keeps them in the
 * slice order of the imaging module's {@code DicomSeries}, so masks of slice k go with image k).
 * Patient attributes go into {@link PatientStudy} only; error messages name the file and the
 * attribute, never its value.
 */
public final class SourceSeriesReader {
  private SourceSeriesReader() {}

  /**
   * Reads the DICOM files in {@code folder} (one series): those imaging's {@code DicomSeries}
   * reads, a {@code .dcm} or {@code .dicom} name or the Part-10 marker, {@code DICOMDIR} skipped.
   */
  public static SourceSeries read(final Path folder) throws IOException {
    final List<DicomDataset> sets = new ArrayList<>();
    final List<Path> files;
    try (Stream<Path> s = Files.list(folder)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    for (final Path f : files) {
      // the files imaging's DicomSeries reads (ingest's reader): DICOMDIR skipped, a .dcm or
      // .dicom name or the Part-10 marker
      final String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
      if (name.equals("dicomdir")) {
        continue;
      }
      final byte[] bytes = Files.readAllBytes(f);
      if (name.endsWith(".dcm") || name.endsWith(".dicom") || DicomParser.hasPart10Magic(bytes)) {
        sets.add(DicomParser.parse(bytes, f.toString()));
      }
    }
    return fromDataSets(sets, folder.toString());
  }

  /** Describes the series formed by {@code sets} (e.g. instances fetched from Orthanc). */
  public static SourceSeries fromDataSets(final List<DicomDataset> sets, final String source)
      throws ImageFormatException {
    if (sets.isEmpty()) {
      throw new ImageFormatException(source, "no DICOM instance");
    }
    final DicomDataset first = sets.get(0);
    final String series = required(first, 0x0020000E, "SeriesInstanceUID");
    final double[] orientation = vector(first, 0x00200037, "ImageOrientationPatient", 6);
    final double[] normal = {
      orientation[1] * orientation[5] - orientation[2] * orientation[4],
      orientation[2] * orientation[3] - orientation[0] * orientation[5],
      orientation[0] * orientation[4] - orientation[1] * orientation[3]
    };
    final List<SourceImage> images = new ArrayList<>();
    for (final DicomDataset ds : sets) {
      if (!series.equals(ds.string(0x0020000E))) {
        throw new ImageFormatException(ds.source(), "instance of another series");
      }
      if (ds.integer(0x00280008, 1) != 1) {
        throw new ImageFormatException(ds.source(), "multi-frame images are not supported");
      }
      images.add(
          new SourceImage(
              required(ds, 0x00080016, "SOPClassUID"),
              required(ds, 0x00080018, "SOPInstanceUID"),
              vector(ds, 0x00200032, "ImagePositionPatient", 3)));
    }
    images.sort(Comparator.comparingDouble(i -> dot(i.imagePosition(), normal)));
    // SliceThickness is descriptive in many files; the spacing of the positions is what the SEG's
    // pixel measures must say (one slice when there is only one image)
    final double[] spacing = vector(first, 0x00280030, "PixelSpacing", 2);
    final double thickness =
        images.size() > 1
            ? Math.abs(
                dot(images.get(1).imagePosition(), normal)
                    - dot(images.get(0).imagePosition(), normal))
            : first.number(0x00180050, 1.0);
    return new SourceSeries(
        new PatientStudy(
            first.string(0x00080005),
            first.string(0x00100010),
            first.string(0x00100020),
            first.string(0x00100030),
            first.string(0x00100040),
            first.string(0x00080020),
            first.string(0x00080030),
            first.string(0x00200010),
            first.string(0x00080050),
            first.string(0x00080090)),
        required(first, 0x0020000D, "StudyInstanceUID"),
        series,
        required(first, 0x00200052, "FrameOfReferenceUID"),
        first.integer(0x00280010, 0),
        first.integer(0x00280011, 0),
        spacing,
        orientation,
        thickness > 0 ? thickness : first.number(0x00180050, 1.0),
        images);
  }

  private static String required(final DicomDataset ds, final int tag, final String name)
      throws ImageFormatException {
    final String s = ds.string(tag);
    if (s == null || s.isEmpty()) {
      throw new ImageFormatException(ds.source(), "missing " + name);
    }
    return s;
  }

  private static double[] vector(
      final DicomDataset ds, final int tag, final String name, final int n)
      throws ImageFormatException {
    final double[] v = ds.doubles(tag);
    if (v == null || v.length != n) {
      throw new ImageFormatException(ds.source(), name + " needs " + n + " values");
    }
    return v;
  }

  private static double dot(final double[] a, final double[] b) {
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  }
}
