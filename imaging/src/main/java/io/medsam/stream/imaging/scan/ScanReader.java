package io.medsam.stream.imaging.scan;

import io.medsam.stream.imaging.ImageFormatException;
import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.dicom.DicomParser;
import io.medsam.stream.imaging.dicom.DicomReader;
import io.medsam.stream.imaging.dicom.DicomSeries;
import io.medsam.stream.imaging.nifti.NiftiReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Detects a scan's format from its content (magic bytes), falling back to the file name, and reads
 * volumes. 2D rasters are read with {@link io.medsam.stream.imaging.raster.RasterReader}.
 */
public final class ScanReader {

  private ScanReader() {}

  /** The format of {@code path} (a folder is a DICOM series). */
  public static ScanFormat detect(final Path path) throws IOException {
    if (Files.isDirectory(path)) {
      return ScanFormat.DICOM_SERIES;
    }
    final byte[] head;
    try (InputStream in = Files.newInputStream(path)) {
      head = in.readNBytes(132);
    }
    if (DicomParser.hasPart10Magic(head)) {
      return ScanFormat.DICOM;
    }
    if (head.length >= 8
        && (head[0] & 0xff) == 0x89
        && head[1] == 'P'
        && head[2] == 'N'
        && head[3] == 'G') {
      return ScanFormat.RASTER;
    }
    if (head.length >= 3 && (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xD8) {
      return ScanFormat.RASTER;
    }
    if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      return ScanFormat.NIFTI;
    }
    if (head.length >= 4) {
      final int size = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
      if (size == 348 || Integer.reverseBytes(size) == 348) {
        return ScanFormat.NIFTI;
      }
    }
    final String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".dcm") || name.endsWith(".dicom")) {
      return ScanFormat.DICOM;
    }
    for (final String ext : List.of(".png", ".jpg", ".jpeg")) {
      if (name.endsWith(ext)) {
        return ScanFormat.RASTER;
      }
    }
    throw new ImageFormatException(
        path.toString(),
        "unrecognised format (not NIfTI-1, DICOM, PNG or JPEG by content or name)");
  }

  /** Reads a NIfTI file, a DICOM file or a DICOM series folder as a volume. */
  public static Volume readVolume(final Path path) throws IOException {
    final ScanFormat format = detect(path);
    return switch (format) {
      case NIFTI -> NiftiReader.read(path);
      case DICOM -> DicomSeries.assemble(List.of(DicomReader.read(path)), path.toString());
      case DICOM_SERIES -> DicomSeries.read(path);
      case RASTER ->
          throw new ImageFormatException(
              path.toString(), "a 2D PNG/JPEG image is not a volume; read it with RasterReader");
    };
  }
}
