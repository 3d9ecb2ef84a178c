package io.medsam.stream.decoder;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the committed test fixtures of model/ live. */
public final class TestBundles {

  private TestBundles() {}

  /**
   * @return the repository root (surefire passes it; else the parent of the module)
   */
  public static Path repoRoot() {
    final String root = System.getProperty("medsam.repo.root");
    if (root != null && Files.isDirectory(Path.of(root, "model"))) {
      return Path.of(root);
    }
    final Path here = Path.of("").toAbsolutePath();
    return Files.isDirectory(here.resolve("model")) ? here : here.getParent();
  }

  /**
   * @return model/testdata/tiny-random-bundle (or -Dmedsam.test.bundle)
   */
  public static Path tinyBundle() {
    final String override = System.getProperty("medsam.test.bundle");
    return override != null
        ? Path.of(override)
        : repoRoot().resolve("model/testdata/tiny-random-bundle");
  }

  /**
   * @return model/testdata/golden
   */
  public static Path goldenDir() {
    return goldenDir("golden");
  }

  /**
   * @param name a golden set, "golden" (SAM family) or "golden-lite" (LiteMedSAM family)
   * @return model/testdata/{@code name}
   */
  public static Path goldenDir(final String name) {
    return repoRoot().resolve("model/testdata").resolve(name);
  }
}
