package io.medsam.stream.ingest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A scan source that {@link ScanRoots} let through: its real path (links resolved), and the name it
 * goes by in dead letters and logs, which carries no part of the path (file names often carry
 * patient names): {@code scan root N, file <12 hex digits>}, the digits being the start of the
 * SHA-256 of the path relative to the root (an operator who has the path can check it with {@code
 * printf %s RELATIVE/PATH | sha256sum}).
 *
 * @param real the real path, inside a root
 * @param name the path-free name for messages
 * @param secrets the strings of the path that must not reach a message: the path as given, the real
 *     path, the file's name and every folder name below the root of at least 4 characters
 */
record ScanLocation(Path real, String name, List<String> secrets) {

  /**
   * Folder names shorter than this are not scrubbed one by one ("ct", "mr" would mangle words);
   * whole paths and the file's own name always are.
   */
  private static final int MIN_SECRET = 4;

  /** Copies secrets. */
  ScanLocation {
    secrets = List.copyOf(secrets);
  }

  /** The location of {@code real}, named {@code name}, reached as {@code given}. */
  static ScanLocation of(final Path real, final String name, final String given, final Path root) {
    final List<String> secrets = new ArrayList<>();
    secrets.add(given);
    secrets.add(real.toString());
    final Path relative = root == null ? real : root.relativize(real);
    for (final Path part : relative) {
      if (part.toString().length() >= MIN_SECRET) {
        secrets.add(part.toString());
      }
    }
    for (final Path file : new Path[] {Path.of(given).getFileName(), real.getFileName()}) {
      if (file != null) {
        final String fileName = file.toString();
        secrets.add(fileName);
        final int dot = fileName.indexOf('.');
        if (dot >= MIN_SECRET) {
          secrets.add(fileName.substring(0, dot)); // the name without .nii.gz, .dcm, ...
        }
      }
    }
    return new ScanLocation(real, name, secrets);
  }

  /** A file of this (folder) source, named after this one and its index in the folder. */
  ScanLocation member(final Path file, final int index) {
    final List<String> more = new ArrayList<>(secrets);
    more.add(file.getFileName().toString());
    return new ScanLocation(file, name + " #" + index, more);
  }

  /**
   * {@code message} with every secret (longest first, so a path goes before its parts) replaced by
   * this location's name; null stays null.
   */
  String scrub(final String message) {
    if (message == null) {
      return null;
    }
    String out = message;
    final List<String> longestFirst = new ArrayList<>(secrets);
    longestFirst.sort((a, b) -> Integer.compare(b.length(), a.length()));
    for (final String secret : longestFirst) {
      if (!secret.isEmpty()) {
        out = out.replace(secret, "<" + name + ">");
      }
    }
    return out;
  }
}
