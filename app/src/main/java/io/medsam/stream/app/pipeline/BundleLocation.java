package io.medsam.stream.app.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Where the model bundle is: the one asked for, or (when the trained demo bundle has not been
 * built yet) the random-weights test bundle, with a notice that says so.
 */
public final class BundleLocation {

  /** The trained demo bundle, the default of every {@code --bundle} option. */
  public static final Path DEMO = Path.of("model/bundles/medsam-tiny-brain");

  /** The tiny random-init test bundle committed with the model toolchain. */
  public static final Path TEST = Path.of("model/testdata/tiny-random-bundle");

  private static final String MANIFEST = "manifest.json";

  private BundleLocation() {}

  /**
   * @param requested the {@code --bundle} value
   * @param notices receives one line when the test bundle stands in for the demo bundle
   * @return a folder with a manifest.json
   * @throws IllegalArgumentException when {@code requested} has no manifest and no stand-in applies
   */
  public static Path resolve(final Path requested, final Consumer<String> notices) {
    if (Files.isRegularFile(requested.resolve(MANIFEST))) {
      return requested;
    }
    if (requested.normalize().equals(DEMO) && Files.isRegularFile(TEST.resolve(MANIFEST))) {
      notices.accept("the demo bundle " + DEMO + " is not built yet (see model/README.md); using"
          + " the random-weights test bundle " + TEST + ": masks will be meaningless");
      return TEST;
    }
    throw new IllegalArgumentException("no model bundle at " + requested + " (no " + MANIFEST
        + "); build one with the model toolchain (model/README.md) or pass --bundle DIR");
  }
}
