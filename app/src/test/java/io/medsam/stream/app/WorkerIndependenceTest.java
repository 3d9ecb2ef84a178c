package io.medsam.stream.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import io.medsam.stream.decoder.DecoderWorker;
import io.medsam.stream.dicom.follower.OrthancFollower;
import io.medsam.stream.dicom.orthanc.OrthancClient;
import io.medsam.stream.encoder.EncoderWorker;
import io.medsam.stream.ingest.IngestWorker;
import io.medsam.stream.ingest.archfixture.IngestReachingIntoTheBridge;
import io.medsam.stream.trainer.TrainerWorker;
import io.medsam.stream.viewer.ViewerWorker;
import io.medsam.stream.viewer.seg.SegSources;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Workers never import each other (docs/style.md), now that one module, dicom-bridge, holds a
 * worker (the Orthanc bridge, package {@code dicom.follower}) beside a library that ingest uses
 * (package {@code dicom.orthanc}): that library, and the DICOM writers beside it, stay free of
 * Kafka, of every worker and of ML runtimes. The viewer, a client, uses that library (the SEG
 * download and store) and no worker. Each module is imported from its own output folder or jar (app
 * is the one module that has them all on its class path).
 */
class WorkerIndependenceTest {

  private static final List<String> WORKERS =
      List.of(
          "io.medsam.stream.ingest..",
          "io.medsam.stream.encoder..",
          "io.medsam.stream.decoder..",
          "io.medsam.stream.trainer..",
          "io.medsam.stream.dicom.follower..");

  private static final String[] DICOM_LIBRARY = {
    "io.medsam.stream.dicom.orthanc..",
    "io.medsam.stream.dicom.seg..",
    "io.medsam.stream.dicom.series..",
    "io.medsam.stream.dicom.write.."
  };

  private static JavaClasses workers() {
    return new ClassFileImporter()
        .importLocations(
            Set.of(
                location(IngestWorker.class),
                location(EncoderWorker.class),
                location(DecoderWorker.class),
                location(TrainerWorker.class),
                location(OrthancFollower.class)));
  }

  private static Location location(final Class<?> type) {
    return Location.of(type.getProtectionDomain().getCodeSource().getLocation());
  }

  private static ArchRule independent(final String worker) {
    return noClasses()
        .that()
        .resideInAPackage(worker)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(WORKERS.stream().filter(w -> !w.equals(worker)).toArray(String[]::new))
        .because("workers never import each other; they share topology/ and records/");
  }

  @Test
  void noWorkerDependsOnAnother() {
    final JavaClasses classes = workers();
    assertThat(classes.contain(OrthancFollower.class)).isTrue();
    assertThat(classes.contain(OrthancClient.class)).isTrue();
    for (final String worker : WORKERS) {
      independent(worker).check(classes);
    }
  }

  @Test
  void theViewerUsesTheDicomLibraryButNoWorker() {
    final JavaClasses viewer =
        new ClassFileImporter().importLocations(Set.of(location(ViewerWorker.class)));
    assertThat(viewer.contain(SegSources.class)).isTrue();
    noClasses()
        .that()
        .resideInAPackage("io.medsam.stream.viewer..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(WORKERS.toArray(String[]::new))
        .because("the viewer is a client: the SEG comes from dicom.seg and dicom.orthanc")
        .check(viewer);
  }

  @Test
  void ruleCatchesAWorkerUsingAnother() {
    assertThatThrownBy(
            () ->
                independent("io.medsam.stream.ingest..")
                    .check(
                        new ClassFileImporter().importClasses(IngestReachingIntoTheBridge.class)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(OrthancFollower.class.getName());
  }

  @Test
  void theDicomLibraryIngestUsesHoldsNoWorkerKafkaOrMlRuntime() {
    noClasses()
        .that()
        .resideInAnyPackage(DICOM_LIBRARY)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.medsam.stream.dicom.follower..",
            "io.medsam.stream.ingest..",
            "io.medsam.stream.topology..",
            "org.apache.kafka..",
            "ai.onnxruntime..",
            "ai.djl..")
        .because(
            "ingest reads Orthanc through dicom.orthanc; the bridge's worker is dicom.follower")
        .check(workers());
  }
}
