package io.medsam.stream.viewer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The viewer is built on the pipeline client alone (docs/style.md "Package dependencies are
 * declared and tested"): no ML runtime and no worker, on its classpath or in its classes. It uses
 * dicom-bridge's {@code seg} and {@code orthanc} packages for the SEG download and store; the
 * bridge's worker ({@code dicom.follower}) is in the same jar, so the rule on the classes, not the
 * classpath, keeps the viewer off it.
 */
class ViewerDependenciesTest {

  static final ArchRule NO_WORKER_AND_NO_ML_RUNTIME =
      noClasses()
          .that()
          .resideInAPackage("io.medsam.stream.viewer..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "ai.onnxruntime..",
              "ai.djl..",
              "io.medsam.stream.encoder..",
              "io.medsam.stream.decoder..",
              "io.medsam.stream.trainer..",
              "io.medsam.stream.ingest..",
              "io.medsam.stream.dicom.follower..",
              "io.medsam.stream.app..")
          .because(
              "the viewer talks to the pipeline through Kafka, as any client does; of"
                  + " dicom-bridge it uses the seg and orthanc libraries, not the bridge's worker");

  @Test
  void viewerClassesUseNoWorkerAndNoMlRuntime() {
    final JavaClasses classes =
        new ClassFileImporter()
            .importLocations(
                Set.of(
                    Location.of(
                        ViewerWorker.class.getProtectionDomain().getCodeSource().getLocation())));
    assertThat(classes.contain(ViewerWorker.class)).isTrue();
    assertThat(classes.contain(io.medsam.stream.viewer.seg.SegSources.class)).isTrue();
    NO_WORKER_AND_NO_ML_RUNTIME.check(classes);
  }

  private static boolean loadable(final String className) {
    try {
      Class.forName(className, false, ViewerDependenciesTest.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  @Test
  void noMlRuntimeAndNoModelWorkerOnTheClasspath() {
    assertThat(loadable("io.medsam.stream.client.PipelineClient")).as("the check itself").isTrue();
    assertThat(
            List.of(
                "ai.onnxruntime.OrtEnvironment",
                "ai.djl.engine.Engine",
                "io.medsam.stream.encoder.EncoderWorker",
                "io.medsam.stream.decoder.DecoderWorker",
                "io.medsam.stream.trainer.TrainerWorker"))
        .noneMatch(ViewerDependenciesTest::loadable);
  }
}
