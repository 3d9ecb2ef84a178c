package io.medsam.stream.bundle;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the committed tiny bundle of model/testdata lives. */
final class BundleFixtures {

  private BundleFixtures() {}

  /**
   * @return model/testdata/tiny-random-bundle (or -Dmedsam.test.bundle)
   */
  static Path tinyBundle() {
    final String override = System.getProperty("medsam.test.bundle");
    if (override != null) {
      return Path.of(override);
    }
    final String root = System.getProperty("medsam.repo.root");
    final Path repo =
        root != null && Files.isDirectory(Path.of(root, "model"))
            ? Path.of(root)
            : Path.of("").toAbsolutePath().getParent();
    return repo.resolve("model/testdata/tiny-random-bundle");
  }
}
