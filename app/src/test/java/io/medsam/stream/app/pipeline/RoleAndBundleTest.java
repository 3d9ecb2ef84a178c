package io.medsam.stream.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoleAndBundleTest {

  @Test
  void rolesParseCaseInsensitivelyAndAllMeansEveryRole() {
    assertThat(Role.parse("all")).isEqualTo(EnumSet.allOf(Role.class));
    assertThat(Role.parse("Encoder")).containsExactly(Role.ENCODER);
    assertThat(Role.DECODER.group()).isEqualTo("medsam-decoder");
    assertThatThrownBy(() -> Role.parse("gpu")).hasMessageContaining("unknown role 'gpu'");
  }

  @Test
  void runIncludesTheOrthancBridgeInAllOnlyWithAnOrthanc() {
    assertThat(Role.forRun("all", false))
        .isEqualTo(EnumSet.of(Role.INGEST, Role.ENCODER, Role.DECODER, Role.TRAINER, Role.VIEWER));
    assertThat(Role.forRun("all", true)).isEqualTo(EnumSet.allOf(Role.class));
    assertThat(Role.forRun("orthanc", true)).containsExactly(Role.ORTHANC);
    assertThat(Role.forRun("ingest", false)).containsExactly(Role.INGEST);
    assertThatThrownBy(() -> Role.forRun("orthanc", false))
        .hasMessageContaining("--role orthanc needs --orthanc");
    assertThat(Role.ORTHANC.needsBundle()).isFalse();
    assertThat(Role.INGEST.needsBundle()).isFalse();
    assertThat(Role.ENCODER.needsBundle()).isTrue();
  }

  @Test
  void anExistingBundleIsUsedAsGiven(@TempDir final Path dir) throws Exception {
    Files.writeString(dir.resolve("manifest.json"), "{}");
    final List<String> notices = new ArrayList<>();
    assertThat(BundleLocation.resolve(dir, notices::add)).isEqualTo(dir);
    assertThat(notices).isEmpty();
  }

  @Test
  void aMissingBundleOtherThanTheDemoIsAnError(@TempDir final Path dir) {
    assertThatThrownBy(() -> BundleLocation.resolve(dir.resolve("nope"), s -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no model bundle at");
  }
}
