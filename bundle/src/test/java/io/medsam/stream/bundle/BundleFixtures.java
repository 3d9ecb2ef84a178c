package io.medsam.stream.bundle;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the committed test bundles of model/testdata live. */
final class BundleFixtures {

  private BundleFixtures() {}

  /**
   * @return model/testdata/tiny-random-bundle (or -Dmedsam.test.bundle)
   */
  static Path tinyBundle() {
    final String override = System.getProperty("medsam.test.bundle");
    return override != null ? Path.of(override) : testdata().resolve("tiny-random-bundle");
  }

  /**
   * @return model/testdata/lite-random-bundle (LiteMedSAM's family and rules)
   */
  static Path liteBundle() {
    return testdata().resolve("lite-random-bundle");
  }

  private static Path testdata() {
    final String root = System.getProperty("medsam.repo.root");
    final Path repo =
        root != null && Files.isDirectory(Path.of(root, "model"))
            ? Path.of(root)
            : Path.of("").toAbsolutePath().getParent();
    return repo.resolve("model/testdata");
  }
}
