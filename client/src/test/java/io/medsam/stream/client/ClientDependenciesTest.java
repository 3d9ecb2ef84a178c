package io.medsam.stream.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The client's classpath holds no ML runtime and no worker that needs one, so that the command line
 * and a web viewer can depend on it without them (a dependency added to client/pom.xml that pulls
 * one in fails here).
 */
class ClientDependenciesTest {

  private static boolean loadable(final String className) {
    try {
      Class.forName(className, false, ClientDependenciesTest.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  @Test
  void noMlRuntimeAndNoModelWorkerOnTheClasspath() {
    assertThat(loadable("io.medsam.stream.ingest.ScanPublisher")).as("the check itself").isTrue();
    assertThat(
            List.of(
                "ai.onnxruntime.OrtEnvironment",
                "ai.djl.engine.Engine",
                "io.medsam.stream.encoder.EncoderWorker",
                "io.medsam.stream.decoder.DecoderWorker",
                "io.medsam.stream.trainer.TrainerWorker"))
        .noneMatch(ClientDependenciesTest::loadable);
  }
}
