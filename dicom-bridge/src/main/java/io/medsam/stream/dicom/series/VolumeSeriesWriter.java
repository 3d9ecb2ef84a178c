package io.medsam.stream.dicom.series;

import io.medsam.stream.dicom.seg.PatientStudy;
import io.medsam.stream.dicom.seg.SourceImage;
import io.medsam.stream.dicom.seg.SourceSeries;
import io.medsam.stream.dicom.write.DicomElements;
import io.medsam.stream.dicom.write.Part10;
import io.medsam.stream.dicom.write.Uids;
import io.medsam.stream.imaging.Volume;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a volume as a series of single-frame DICOM images, one per k (slice), signed 16-bit,
 * explicit VR little endian: i = column, j = row, geometry from the volume's RAS affine converted
 * to LPS. Reading the folder back with the imaging module's {@code DicomSeries} gives the same
 * voxels and affine. Used to make test series (ch2 as MR, a CT-like volume in HU).
 */
public final class VolumeSeriesWriter {
  private VolumeSeriesWriter() {}

  /**
   * Writes {@code IM%04d.dcm} files into {@code folder} and returns the written series.
   *
   * @throws IllegalArgumentException when a value minus the intercept is not an integer in the
   *     signed 16-bit range
   */
  public static SourceSeries write(final Volume volume, final SeriesSpec spec, final Path folder)
      throws IOException {
    Files.createDirectories(folder);
    final double[] rowCos = unitLps(volume.affine().column(0));
    final double[] colCos = unitLps(volume.affine().column(1));
    final double[] orientation = {rowCos[0], rowCos[1], rowCos[2], colCos[0], colCos[1], colCos[2]};
    final double[] spacing = {volume.dy(), volume.dx()};
    final List<SourceImage> images = new ArrayList<>();
    for (int k = 0; k < volume.nz(); k++) {
      final double[] ras = volume.affine().apply(0, 0, k);
      final double[] position = {-ras[0], -ras[1], ras[2]};
      final String sopInstanceUid = Uids.create();
      final DicomElements ds =
          image(spec, sopInstanceUid, k, position, orientation, spacing, volume.dz());
      ds.us(0x00280010, volume.ny())
          .us(0x00280011, volume.nx())
          .bytes(0x7FE00010, "OW", pixels(volume, k, spec.rescaleIntercept()));
      Files.write(
          folder.resolve(String.format(Locale.ROOT, "IM%04d.dcm", k + 1)),
          Part10.file(ds, spec.sopClassUid(), sopInstanceUid));
      images.add(new SourceImage(spec.sopClassUid(), sopInstanceUid, position));
    }
    return new SourceSeries(
        spec.patientStudy(),
        spec.studyInstanceUid(),
        spec.seriesInstanceUid(),
        spec.frameOfReferenceUid(),
        volume.ny(),
        volume.nx(),
        spacing,
        orientation,
        volume.dz(),
        images);
  }

  private static DicomElements image(
      final SeriesSpec spec,
      final String sopInstanceUid,
      final int k,
      final double[] position,
      final double[] orientation,
      final double[] spacing,
      final double sliceThickness) {
    final PatientStudy p = spec.patientStudy();
    final DicomElements ds = new DicomElements();
    if (!p.specificCharacterSet().isEmpty()) {
      ds.text(0x00080005, "CS", p.specificCharacterSet().split("\\\\"));
    }
    ds.text(0x00080008, "CS", "ORIGINAL", "PRIMARY", "OTHER")
        .text(0x00080016, "UI", spec.sopClassUid())
        .text(0x00080018, "UI", sopInstanceUid)
        .text(0x00080020, "DA", p.studyDate())
        .text(0x00080030, "TM", p.studyTime())
        .text(0x00080050, "SH", p.accessionNumber())
        .text(0x00080060, "CS", spec.modality())
        .text(0x00080070, "LO", "MedSAM Stream test data")
        .text(0x00080090, "PN", p.referringPhysicianName())
        .text(0x0008103E, "LO", spec.seriesDescription())
        .text(0x00100010, "PN", p.patientName())
        .text(0x00100020, "LO", p.patientId())
        .text(0x00100030, "DA", p.patientBirthDate())
        .text(0x00100040, "CS", p.patientSex())
        .text(0x0020000D, "UI", spec.studyInstanceUid())
        .text(0x0020000E, "UI", spec.seriesInstanceUid())
        .text(0x00200010, "SH", p.studyId())
        .is(0x00200011, 1)
        .is(0x00200012, 1)
        .is(0x00200013, k + 1L)
        .ds(0x00200032, position)
        .ds(0x00200037, orientation)
        .text(0x00200052, "UI", spec.frameOfReferenceUid())
        .text(0x00201040, "LO", "")
        .text(0x00200060, "CS", "")
        .text(0x00185100, "CS", "HFS")
        .ds(0x00180050, sliceThickness)
        .us(0x00280002, 1)
        .text(0x00280004, "CS", "MONOCHROME2")
        .ds(0x00280030, spacing)
        .us(0x00280100, 16)
        .us(0x00280101, 16)
        .us(0x00280102, 15)
        .us(0x00280103, 1);
    if (spec.modality().equals("MR")) {
      // the MR Image IOD has no modality rescale: DicomReader reads its absence as identity
      if (spec.rescaleIntercept() != 0) {
        throw new IllegalArgumentException("an MR series is written without a rescale");
      }
      ds.text(0x00180020, "CS", "GR")
          .text(0x00180021, "CS", "NONE")
          .text(0x00180022, "CS", "")
          .text(0x00180023, "CS", "3D")
          .text(0x00180080, "DS", "")
          .text(0x00180081, "DS", "")
          .text(0x00180091, "IS", "");
    } else {
      ds.ds(0x00281052, spec.rescaleIntercept())
          .ds(0x00281053, 1.0)
          .text(0x00281054, "LO", "HU")
          .text(0x00180060, "DS", "");
    }
    return ds;
  }

  private static byte[] pixels(final Volume v, final int k, final double intercept) {
    final ByteBuffer b = ByteBuffer.allocate(2 * v.nx() * v.ny()).order(ByteOrder.LITTLE_ENDIAN);
    for (int j = 0; j < v.ny(); j++) {
      for (int i = 0; i < v.nx(); i++) {
        final double stored = v.at(i, j, k) - intercept;
        if (stored != Math.rint(stored) || stored < Short.MIN_VALUE || stored > Short.MAX_VALUE) {
          throw new IllegalArgumentException(
              "voxel ("
                  + i
                  + ", "
                  + j
                  + ", "
                  + k
                  + ") = "
                  + v.at(i, j, k)
                  + " is not a signed 16-bit integer after the intercept "
                  + intercept);
        }
        b.putShort((short) stored);
      }
    }
    return b.array();
  }

  private static double[] unitLps(final double[] ras) {
    final double n = Math.sqrt(ras[0] * ras[0] + ras[1] * ras[1] + ras[2] * ras[2]);
    return new double[] {-ras[0] / n, -ras[1] / n, ras[2] / n};
  }
}
