package io.medsam.stream.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medsam.stream.imaging.preprocess.PixelBox;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DecoderBatchTest {

  @Test
  void packsEmbeddingsAndModelSpaceBoxesPromptAfterPrompt() throws Exception {
    final ModelBundle b = ModelBundle.read(BundleFixtures.tinyBundle());
    final int[] e = b.embeddingShapeArray();
    final int per = b.embeddingSize();
    final DecoderBatch batch = new DecoderBatch(b, 2);
    final PixelBox first = new PixelBox(10, 20, 150, 90);
    final PixelBox second = new PixelBox(1, 2, 3, 4);
    batch.put(0, (out, off) -> Arrays.fill(out, off, off + per, 1f), first, 100, 200);
    batch.put(1, (out, off) -> Arrays.fill(out, off, off + per, 2f), second, 50, 60);

    assertThat(batch.size()).isEqualTo(2);
    assertThat(batch.embeddingShape()).containsExactly(2, e[0], e[1], e[2]);
    assertThat(batch.boxShape()).containsExactly(2, 4);
    assertThat(batch.embeddings()).hasSize(2 * per);
    assertThat(batch.embeddings()[per - 1]).isEqualTo(1f);
    assertThat(batch.embeddings()[per]).isEqualTo(2f);
    assertThat(Arrays.copyOfRange(batch.boxes(), 0, 4))
        .containsExactly(b.modelSpace(100, 200).toModel(first).toFloats());
    assertThat(Arrays.copyOfRange(batch.boxes(), 4, 8))
        .containsExactly(b.modelSpace(50, 60).toModel(second).toFloats());
    assertThat(batch.modelSpace(1).toModel(second)).isEqualTo(b.modelSpace(50, 60).toModel(second));
  }

  @Test
  void anEmptyBatchIsRefused() throws Exception {
    final ModelBundle b = ModelBundle.read(BundleFixtures.tinyBundle());
    assertThatThrownBy(() -> new DecoderBatch(b, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
