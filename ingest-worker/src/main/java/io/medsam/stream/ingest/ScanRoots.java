package io.medsam.stream.ingest;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

/**
 * The folders whose files an ingest worker reads ({@code medsam run --scan-root DIR}): a ScanEvent
 * whose file source lies elsewhere, or escapes a root through {@code ..} or a symbolic link, is
 * refused before anything is read. A path is first checked as written (normalized), so a path
 * outside every root is refused without touching the file system (no probing which files exist);
 * then its real path (links resolved) must lie inside a root's real path too.
 *
 * <p>{@link #none()} reads no file at all (Orthanc sources only); {@link #anywhere()} reads
 * whatever this process can, for the single-user embedded mode and one-command flows (see the
 * README's "Scan roots").
 */
public final class ScanRoots {

  private static final int NAME_DIGITS = 12;

  /** Each root as given (absolute, normalized) and its real path, in the order given. */
  private final List<Path> given;

  private final List<Path> real;
  private final boolean anywhere;

  private ScanRoots(final List<Path> given, final List<Path> real, final boolean anywhere) {
    this.given = List.copyOf(given);
    this.real = List.copyOf(real);
    this.anywhere = anywhere;
  }

  /**
   * Files under {@code folders} only.
   *
   * @throws IOException when a folder does not exist or is not a folder
   */
  public static ScanRoots of(final Collection<Path> folders) throws IOException {
    final List<Path> given = new ArrayList<>();
    final List<Path> real = new ArrayList<>();
    for (final Path folder : folders) {
      if (!Files.isDirectory(folder)) {
        throw new IOException("scan root " + folder + " is not a folder");
      }
      given.add(folder.toAbsolutePath().normalize());
      real.add(folder.toRealPath());
    }
    return new ScanRoots(given, real, false);
  }

  /** No file source at all: every file ScanEvent is a dead letter. */
  public static ScanRoots none() {
    return new ScanRoots(List.of(), List.of(), false);
  }

  /** Every file this process can read. */
  public static ScanRoots anywhere() {
    return new ScanRoots(List.of(), List.of(), true);
  }

  /** Whether no file can be read. */
  public boolean isEmpty() {
    return !anywhere && real.isEmpty();
  }

  /** The real paths of the roots (empty for {@link #anywhere()} and {@link #none()}). */
  public List<Path> roots() {
    return real;
  }

  /**
   * Where the file source {@code sourceUri} (a path or a {@code file:} URI) is.
   *
   * @throws OutsideScanRootsException when it is not an absolute path inside a root, or does not
   *     exist
   */
  ScanLocation locate(final String sourceUri) throws OutsideScanRootsException {
    final String hash = sha256(sourceUri);
    final Path path;
    try {
      path = sourceUri.startsWith("file:") ? Path.of(URI.create(sourceUri)) : Path.of(sourceUri);
    } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
      throw new OutsideScanRootsException("source path " + hash + " is not a file path or URI");
    }
    if (!path.isAbsolute()) {
      throw new OutsideScanRootsException("source path " + hash + " is not absolute");
    }
    if (isEmpty()) {
      throw new OutsideScanRootsException(
          "source path " + hash + " refused: this ingest worker has no --scan-root");
    }
    final Path normal = path.normalize();
    if (!anywhere && rootIndex(normal, given) < 0 && rootIndex(normal, real) < 0) {
      throw new OutsideScanRootsException(
          "source path " + hash + " is outside the scan roots (" + real.size() + " configured)");
    }
    final Path target;
    try {
      target = normal.toRealPath();
    } catch (IOException e) {
      throw new OutsideScanRootsException(
          "source path " + hash + " does not exist or cannot be resolved");
    }
    if (anywhere) {
      return ScanLocation.of(target, "file " + sha256(target.toString()), sourceUri, null);
    }
    final int index = rootIndex(target, real);
    if (index < 0) {
      throw new OutsideScanRootsException(
          "source path " + hash + " leads outside the scan roots through a symbolic link or '..'");
    }
    final Path root = real.get(index);
    return ScanLocation.of(
        target,
        "scan root " + (index + 1) + ", file " + sha256(root.relativize(target).toString()),
        sourceUri,
        root);
  }

  private static int rootIndex(final Path path, final List<Path> roots) {
    for (int i = 0; i < roots.size(); i++) {
      if (path.startsWith(roots.get(i))) {
        return i;
      }
    }
    return -1;
  }

  /** The first {@value #NAME_DIGITS} hex digits of the SHA-256 of {@code text} as UTF-8. */
  static String sha256(final String text) {
    try {
      final byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, NAME_DIGITS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return anywhere ? "anywhere" : real.isEmpty() ? "none" : real.toString();
  }
}
