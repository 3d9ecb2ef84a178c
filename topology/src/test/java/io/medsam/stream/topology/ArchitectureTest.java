package io.medsam.stream.topology;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import io.medsam.stream.imaging.preprocess.PixelBox;
import io.medsam.stream.records.Masks;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * topology/ is shared by every worker and must stay free of ML runtimes (docs/style.md), and so
 * must what it builds on: the records adapter layer and imaging. Each module's classes are imported
 * from its own output folder or jar (scanning the whole classpath for the packages takes seconds).
 */
class ArchitectureTest {

  static final ArchRule NO_ML_RUNTIME =
      noClasses()
          .that()
          .resideInAnyPackage(
              "io.medsam.stream.topology..",
              "io.medsam.stream.records..",
              "io.medsam.stream.imaging..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("ai.onnxruntime..", "ai.djl..")
          .because(
              "topology/ (and the records and imaging it uses) holds topics, Streams topologies and"
                  + " record adapters; ML runtimes live in the workers");

  @Test
  void topologyAndTheAdaptersItUsesNeverDependOnAnMlRuntime() {
    final JavaClasses classes =
        new ClassFileImporter()
            .importLocations(
                Set.of(location(Topics.class), location(Masks.class), location(PixelBox.class)));
    assertThat(classes.contain(Topics.class)).isTrue();
    assertThat(classes.contain(Masks.class)).isTrue();
    assertThat(classes.contain(PixelBox.class)).isTrue();
    NO_ML_RUNTIME.check(classes);
  }

  private static Location location(final Class<?> type) {
    return Location.of(type.getProtectionDomain().getCodeSource().getLocation());
  }

  /** A test-only class of this package that uses an "ML runtime". */
  static final class ViolatingFixture {
    String engine() {
      return ai.djl.archfixture.FakeEngine.load();
    }
  }

  @Test
  void ruleCatchesADependencyOnAnMlRuntime() {
    assertThatThrownBy(
            () ->
                NO_ML_RUNTIME.check(new ClassFileImporter().importClasses(ViolatingFixture.class)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("ai.djl.archfixture.FakeEngine");
  }
}
