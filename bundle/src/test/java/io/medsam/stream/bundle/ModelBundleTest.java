package io.medsam.stream.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBundleTest {

  @Test
  void readsTheTinyBundleManifest() throws Exception {
    final ModelBundle b = ModelBundle.read(BundleFixtures.tinyBundle());
    assertThat(b.id()).isNotBlank();
    assertThat(b.version()).isNotBlank();
    assertThat(b.embeddingShape()).hasSize(3);
    assertThat(b.imageSize()).isPositive();
    assertThat(b.lowResSize()).isPositive();
    assertThat(Files.isRegularFile(b.decoderModel())).isTrue();
    assertThat(b.trainablePrefix()).isEqualTo("mask_decoder.");
    assertThat(b.decoderInitializers())
        .anySatisfy(s -> assertThat(s.name()).startsWith("mask_decoder."))
        .allSatisfy(s -> assertThat(s.dtype()).isEqualTo("float32"));
    assertThat(b.decoderInitializer(b.decoderInitializers().get(0).name())).isPresent();
  }

  @Test
  void rejectsAMissingManifest(@TempDir final Path dir) {
    assertThatThrownBy(() -> ModelBundle.read(dir))
        .isInstanceOf(BundleFormatException.class)
        .hasMessageContaining("manifest.json");
  }

  @Test
  void rejectsAnUnknownResizeRuleAndMissingFields(@TempDir final Path dir) throws Exception {
    Files.writeString(dir.resolve("manifest.json"), "{\"id\": \"x\", \"version\": \"1\", \"config\": \"t\","
        + " \"image_size\": 8, \"resize\": \"squash\"}");
    assertThatThrownBy(() -> ModelBundle.read(dir)).hasMessageContaining("squash");
    Files.writeString(dir.resolve("manifest.json"), "{\"id\": \"x\", \"version\": \"1\", \"config\": \"t\","
        + " \"image_size\": 8, \"resize\": \"stretch\", \"embedding_shape\": [4, 2, 2]}");
    assertThatThrownBy(() -> ModelBundle.read(dir)).hasMessageContaining("low_res_size");
  }

  @Test
  void namesTheEncoderByIdVersionAndFileHash() throws Exception {
    final ModelBundle b = ModelBundle.read(BundleFixtures.tinyBundle());
    final String sha =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(b.encoderModel())));
    assertThat(b.encoderSha256()).isEqualTo(sha);
    assertThat(b.encoderModelId())
        .isEqualTo(b.id() + ":" + b.version() + ":" + sha.substring(0, 12))
        .matches("[^:]+:[^:]+:[0-9a-f]{12}");
    assertThat(b.embeddingSize())
        .isEqualTo(b.embeddingShape().get(0) * b.embeddingShape().get(1) * b.embeddingShape().get(2));
  }

  @Test
  void rejectsABundleWithoutItsEncoderFile(@TempDir final Path dir) throws Exception {
    final Path tiny = BundleFixtures.tinyBundle();
    Files.copy(tiny.resolve("manifest.json"), dir.resolve("manifest.json"));
    Files.copy(tiny.resolve("decoder.onnx"), dir.resolve("decoder.onnx"));
    assertThatThrownBy(() -> ModelBundle.read(dir))
        .isInstanceOf(BundleFormatException.class)
        .hasMessageContaining("encoder model missing");
  }
}
