package io.medsam.stream.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medsam.stream.imaging.mask.MaskRule;
import io.medsam.stream.imaging.preprocess.ModelSpace;
import io.medsam.stream.imaging.preprocess.ResizeRule;
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
    Files.writeString(
        dir.resolve("manifest.json"),
        "{\"id\": \"x\", \"version\": \"1\", \"config\": \"t\","
            + " \"image_size\": 8, \"resize\": \"squash\"}");
    assertThatThrownBy(() -> ModelBundle.read(dir)).hasMessageContaining("squash");
    Files.writeString(
        dir.resolve("manifest.json"),
        "{\"id\": \"x\", \"version\": \"1\", \"config\": \"t\","
            + " \"image_size\": 8, \"resize\": \"stretch\", \"embedding_shape\": [4, 2, 2]}");
    assertThatThrownBy(() -> ModelBundle.read(dir)).hasMessageContaining("low_res_size");
  }

  @Test
  void readsTheReferenceRulesAndRefusesAnUnknownMaskRule(@TempDir final Path dir) throws Exception {
    final ModelBundle lite = ModelBundle.read(BundleFixtures.liteBundle());
    assertThat(lite.resize()).isEqualTo(ResizeRule.LITEMEDSAM);
    assertThat(lite.maskRule()).isEqualTo(MaskRule.LITEMEDSAM);
    assertThat(ModelBundle.read(BundleFixtures.tinyBundle()).maskRule())
        .as("absent mask_rule")
        .isEqualTo(MaskRule.LOGITS);
    Files.writeString(
        dir.resolve("manifest.json"),
        "{\"id\": \"x\", \"version\": \"1\", \"config\": \"vit_b\", \"image_size\": 8,"
            + " \"resize\": \"medsam\", \"mask_rule\": \"otsu\"}");
    assertThatThrownBy(() -> ModelBundle.read(dir))
        .isInstanceOf(BundleFormatException.class)
        .hasMessageContaining("mask_rule")
        .hasMessageContaining("otsu");
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
        .isEqualTo(
            b.embeddingShape().get(0) * b.embeddingShape().get(1) * b.embeddingShape().get(2));
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

  @Test
  void aTrainingReadNeedsOnlyTheTorchScriptDecoder(@TempDir final Path dir) throws Exception {
    final Path tiny = BundleFixtures.tinyBundle();
    Files.copy(tiny.resolve("manifest.json"), dir.resolve("manifest.json"));
    Files.copy(tiny.resolve("decoder.pt"), dir.resolve("decoder.pt"));
    final ModelBundle b = ModelBundle.readForTraining(dir);
    assertThat(b.decoderTorchScript()).isEqualTo(dir.toAbsolutePath().resolve("decoder.pt"));
    assertThat(b.embeddingShapeArray())
        .containsExactly(
            b.embeddingShape().get(0), b.embeddingShape().get(1), b.embeddingShape().get(2));
    assertThat(b.encoderSha256()).isNull();
    assertThatThrownBy(b::encoderModelId)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("without its encoder");
    // the serving workers' read still wants both ONNX files
    assertThatThrownBy(() -> ModelBundle.read(dir))
        .isInstanceOf(BundleFormatException.class)
        .hasMessageContaining("decoder model missing");
  }

  @Test
  void aTrainingReadOfAFullBundleKeepsTheEncoderHash() throws Exception {
    final ModelBundle served = ModelBundle.read(BundleFixtures.tinyBundle());
    final ModelBundle trained = ModelBundle.readForTraining(BundleFixtures.tinyBundle());
    assertThat(trained).isEqualTo(served);
    assertThat(trained.encoderModelId()).isEqualTo(served.encoderModelId());
  }

  @Test
  void aTrainingReadRefusesABundleWithoutItsTorchScriptDecoder(@TempDir final Path dir)
      throws Exception {
    final Path tiny = BundleFixtures.tinyBundle();
    Files.copy(tiny.resolve("manifest.json"), dir.resolve("manifest.json"));
    assertThatThrownBy(() -> ModelBundle.readForTraining(dir))
        .isInstanceOf(BundleFormatException.class)
        .hasMessageContaining("TorchScript decoder missing");
    Files.writeString(
        dir.resolve("manifest.json"),
        Files.readString(dir.resolve("manifest.json"))
            .replace("\"decoder_torchscript\"", "\"decoder_script\""));
    assertThatThrownBy(() -> ModelBundle.readForTraining(dir))
        .hasMessageContaining("names no decoder_torchscript");
  }

  @Test
  void mapsAnImageToItsModelSpaceByTheManifestRule() throws Exception {
    final ModelBundle b = ModelBundle.read(BundleFixtures.tinyBundle());
    final ModelSpace space = b.modelSpace(60, 50);
    assertThat(space.height()).isEqualTo(60);
    assertThat(space.width()).isEqualTo(50);
    assertThat(space.size()).isEqualTo(b.imageSize());
    assertThat(space.rule()).isEqualTo(b.resize());
  }
}
