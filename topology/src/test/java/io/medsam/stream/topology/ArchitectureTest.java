package io.medsam.stream.topology;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/** topology/ is shared by every worker and must stay free of ML runtimes (STYLE.md). */
@AnalyzeClasses(packages = "io.medsam.stream.topology",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule NO_ML_RUNTIME = noClasses()
      .that().resideInAPackage("io.medsam.stream.topology..")
      .should().dependOnClassesThat().resideInAnyPackage("ai.onnxruntime..", "ai.djl..")
      .because("topology/ holds topics and Streams topologies; ML runtimes live in the workers");

  /** A test-only class of this package that uses an "ML runtime". */
  static final class ViolatingFixture {
    String engine() {
      return ai.djl.archfixture.FakeEngine.load();
    }
  }

  @Test
  void ruleCatchesADependencyOnAnMlRuntime() {
    assertThatThrownBy(() -> NO_ML_RUNTIME.check(
            new ClassFileImporter().importClasses(ViolatingFixture.class)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("ai.djl.archfixture.FakeEngine");
  }
}
