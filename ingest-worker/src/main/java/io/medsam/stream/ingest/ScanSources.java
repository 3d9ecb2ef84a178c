package io.medsam.stream.ingest;

import io.medsam.stream.avro.SourceKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Recognizes what kind of scan source a path is, by folder-ness, magic bytes and extension. */
public final class ScanSources {

  private ScanSources() {}

  /**
   * A folder is a DICOM series; a file with the DICOM preamble ("DICM" at byte 128) a DICOM file;
   * .nii / .nii.gz (or a NIfTI-1 header) a NIfTI volume; .png / .jpg / .jpeg a 2D image.
   *
   * @throws IOException when the path cannot be read
   * @throws IllegalArgumentException when the file is of no supported kind
   */
  public static SourceKind detect(final Path path) throws IOException {
    if (Files.isDirectory(path)) {
      return SourceKind.DICOM_SERIES;
    }
    final byte[] head = new byte[132];
    final int read;
    try (InputStream in = Files.newInputStream(path)) {
      read = in.readNBytes(head, 0, head.length);
    }
    if (read == 132
        && head[128] == 'D'
        && head[129] == 'I'
        && head[130] == 'C'
        && head[131] == 'M') {
      return SourceKind.DICOM_FILE;
    }
    final String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".nii") || name.endsWith(".nii.gz")) {
      return SourceKind.NIFTI;
    }
    if (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg")) {
      return SourceKind.IMAGE_2D;
    }
    if (name.endsWith(".dcm")) {
      return SourceKind.DICOM_FILE; // some DICOM files lack the Part 10 preamble
    }
    throw new IllegalArgumentException(
        path + " is not a NIfTI file, a DICOM file or folder, or a PNG/JPEG image");
  }
}
