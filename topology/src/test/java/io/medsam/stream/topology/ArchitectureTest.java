package io.medsam.stream.topology;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * topology/ is shared by every worker and must stay free of ML runtimes (STYLE.md). The module's
 * own classes are imported from its output folder (scanning the whole classpath for the package
 * takes seconds).
 */
class ArchitectureTest {

  static final ArchRule NO_ML_RUNTIME =
      noClasses()
          .that()
          .resideInAPackage("io.medsam.stream.topology..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("ai.onnxruntime..", "ai.djl..")
          .because(
              "topology/ holds topics and Streams topologies; ML runtimes live in the workers");

  @Test
  void topologyNeverDependsOnAnMlRuntime() {
    final JavaClasses classes =
        new ClassFileImporter()
            .importLocations(
                Set.of(
                    Location.of(Topics.class.getProtectionDomain().getCodeSource().getLocation())));
    assertThat(classes.contain(Topics.class)).isTrue();
    NO_ML_RUNTIME.check(classes);
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
