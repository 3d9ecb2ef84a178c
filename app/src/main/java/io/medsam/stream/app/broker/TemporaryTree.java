package io.medsam.stream.app.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Deletes a command's temporary directory tree (best effort: a file that resists stays). */
final class TemporaryTree {

  private TemporaryTree() {}

  static void delete(final Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(TemporaryTree::deleteOne);
    } catch (IOException | UncheckedIOException e) {
      System.err.println("medsam: could not delete all of " + root + ": " + e.getMessage());
    }
  }

  private static void deleteOne(final Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
