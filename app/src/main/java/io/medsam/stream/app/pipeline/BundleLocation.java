package io.medsam.stream.app.pipeline;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where the model bundle is: the one asked for, or (when the trained demo bundle has not been built
 * yet) the random-weights test bundle, with a notice that says so.
 */
public final class BundleLocation {

  /** The trained demo bundle, the default of every {@code --bundle} option (for annotations). */
  public static final String DEMO_DIR = "model/bundles/medsam-conv32p-ellipse-brain";

  /** {@link #DEMO_DIR} as a path. */
  public static final Path DEMO = Path.of(DEMO_DIR);

  /** The tiny random-init test bundle committed with the model toolchain. */
  public static final Path TEST = Path.of("model/testdata/tiny-random-bundle");

  private static final String MANIFEST = "manifest.json";
  private static final Path JAR_IN_REPOSITORY = Path.of("app", "target", "medsam.jar");

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
    final Optional<Path> root = repositoryRoot();
    if (!requested.isAbsolute()
        && root.isPresent()
        && Files.isRegularFile(root.get().resolve(requested).resolve(MANIFEST))) {
      return root.get().resolve(requested);
    }
    if (requested.normalize().equals(DEMO)) {
      for (final Path test :
          root.isPresent() ? List.of(TEST, root.get().resolve(TEST)) : List.of(TEST)) {
        if (Files.isRegularFile(test.resolve(MANIFEST))) {
          notices.accept(
              "the demo bundle "
                  + DEMO
                  + " is not built yet (see model/README.md);"
                  + " using the random-weights test bundle "
                  + test
                  + ": masks will be meaningless");
          return test;
        }
      }
    }
    throw new IllegalArgumentException(
        "no model bundle at "
            + requested
            + " (no "
            + MANIFEST
            + "); build one with the model toolchain (model/README.md) or pass --bundle DIR");
  }

  /**
   * The repository the running jar was built in ({@code <root>/app/target/medsam.jar}), so that the
   * default bundle paths also work from another working directory.
   */
  static Optional<Path> repositoryRoot() {
    try {
      final Path jar =
          Path.of(BundleLocation.class.getProtectionDomain().getCodeSource().getLocation().toURI())
              .toAbsolutePath();
      return jar.endsWith(JAR_IN_REPOSITORY)
          ? Optional.of(jar.getParent().getParent().getParent())
          : Optional.empty();
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      return Optional.empty();
    }
  }
}
