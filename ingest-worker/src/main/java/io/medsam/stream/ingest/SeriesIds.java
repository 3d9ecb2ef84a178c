package io.medsam.stream.ingest;

import io.medsam.stream.avro.SourceKind;
import io.medsam.stream.imaging.ImageFormatException;
import io.medsam.stream.imaging.dicom.DicomDataset;
import io.medsam.stream.imaging.dicom.DicomParser;
import io.medsam.stream.imaging.dicom.DicomTags;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Series identifiers, the first part of every sliceKey. DICOM sources use their SeriesInstanceUID
 * (of the first readable instance of a folder). Files without one (NIfTI, PNG, JPEG, DICOM lacking
 * the tag) get {@code sha256-<first 32 hex digits of the SHA-256 of the file's bytes>}; a folder
 * without one gets the same over the SHA-256 of each of its files' bytes, in file-name order. Ids
 * come from content only, never from names (exported file names often carry patient names): the
 * same content always gets the same id, wherever and under whatever name it lies, so re-ingesting
 * it overwrites its embeddings on the compacted topic instead of adding new ones, while different
 * files never share one.
 */
public final class SeriesIds {

  private static final int HASH_DIGITS = 32;
  private static final String PREFIX = "sha256-";

  private SeriesIds() {}

  /** The series id of a NIfTI or 2D image file, derived from its content only. */
  public static String fromFile(final Path file) throws IOException {
    return PREFIX + HexFormat.of().formatHex(sha256(file)).substring(0, HASH_DIGITS);
  }

  /** The series id of a folder without a SeriesInstanceUID: its files' contents, in name order. */
  static String fromFolder(final Path folder) throws IOException {
    final MessageDigest digest = newDigest();
    try (Stream<Path> files = Files.list(folder)) {
      for (final Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        digest.update(sha256(file));
      }
    }
    return PREFIX + HexFormat.of().formatHex(digest.digest()).substring(0, HASH_DIGITS);
  }

  /** The SeriesInstanceUID of a DICOM file or of the first DICOM file in a folder, if any. */
  public static Optional<String> dicomSeriesUid(final Path fileOrFolder) throws IOException {
    if (Files.isDirectory(fileOrFolder)) {
      try (Stream<Path> files = Files.list(fileOrFolder)) {
        for (final Path file : files.filter(Files::isRegularFile).sorted().toList()) {
          final Optional<String> uid = dicomSeriesUid(file);
          if (uid.isPresent()) {
            return uid;
          }
        }
      }
      return Optional.empty();
    }
    try {
      final DicomDataset dataset =
          DicomParser.parse(Files.readAllBytes(fileOrFolder), fileOrFolder.toString());
      final String uid = dataset.string(DicomTags.SERIES_INSTANCE_UID);
      return uid == null || uid.isBlank() ? Optional.empty() : Optional.of(uid.trim());
    } catch (ImageFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * For DICOM sources the SeriesInstanceUID when there is one; otherwise the content-derived id.
   */
  public static String of(final Path source, final SourceKind kind) throws IOException {
    if (kind == SourceKind.DICOM_FILE || kind == SourceKind.DICOM_SERIES) {
      final Optional<String> uid = dicomSeriesUid(source);
      if (uid.isPresent()) {
        return uid.get();
      }
    }
    if (Files.isDirectory(source)) {
      return fromFolder(source);
    }
    return fromFile(source);
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }

  private static byte[] sha256(final Path file) throws IOException {
    final MessageDigest digest = newDigest();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return digest.digest();
  }
}
