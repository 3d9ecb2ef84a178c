package io.medsam.stream.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medsam.stream.avro.SliceEmbedding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddingTensorTest {

  private static final float[] VALUES = {1f, -2f, 0.5f, 3f, 0f, -0.25f, 8f, 100f};

  @Test
  void float16RecordAsTheEncoderWritesItReadsBack() throws Exception {
    final SliceEmbedding e = record("float16", EmbeddingTensor.float16Data(VALUES, 0, 8), 64, 48);
    final EmbeddingTensor t = EmbeddingTensor.of(e);
    assertThat(t.dtype()).isEqualTo(EmbeddingDtype.FLOAT16);
    assertThat(t.shape()).containsExactly(2, 2, 2);
    assertThat(t.hasShape(new int[] {2, 2, 2})).isTrue();
    assertThat(t.hasShape(new int[] {2, 4, 1})).isFalse();
    assertThat(t.size()).isEqualTo(8);
    assertThat(t.imageHeight()).isEqualTo(64);
    assertThat(t.imageWidth()).isEqualTo(48);
    assertThat(t.values()).containsExactly(VALUES); // all exact in float16
    assertThat(e.getData().position()).isZero();
  }

  @Test
  void float32RecordIsAcceptedAndReadAsIs() throws Exception {
    final float[] padded = new float[10];
    System.arraycopy(VALUES, 0, padded, 1, 8);
    final ByteBuffer data = EmbeddingTensor.float32Data(padded, 1, 8);
    assertThat(data.remaining()).isEqualTo(32);
    assertThat(data.duplicate().order(ByteOrder.LITTLE_ENDIAN).getFloat(4)).isEqualTo(-2f);
    final EmbeddingTensor t = EmbeddingTensor.of(record("float32", data, 10, 10));
    assertThat(t.dtype()).isEqualTo(EmbeddingDtype.FLOAT32);
    final float[] packed = new float[10];
    t.copyTo(packed, 2);
    assertThat(Arrays.copyOfRange(packed, 2, 10)).containsExactly(VALUES);
    assertThat(packed[0]).isZero();
  }

  @Test
  void theOneValidationNamesEachProblem() {
    final ByteBuffer eight = ByteBuffer.wrap(new byte[16]);
    assertThatThrownBy(() -> EmbeddingTensor.of(record("bfloat16", eight, 4, 4)))
        .isInstanceOf(InvalidEmbeddingException.class)
        .hasMessage("embedding dtype must be float16 or float32, was bfloat16");
    assertThatThrownBy(
            () -> EmbeddingTensor.of(record("float16", ByteBuffer.wrap(new byte[10]), 4, 4)))
        .hasMessage("embedding data has 10 bytes, shape [2, 2, 2] of float16 needs 16");
    assertThatThrownBy(() -> EmbeddingTensor.of(record("float32", eight, 4, 4)))
        .hasMessageContaining("needs 32");
    assertThatThrownBy(() -> EmbeddingTensor.of(record("float16", eight, 0, 4)))
        .hasMessage("embedding image size must be positive, was 0x4");
    final SliceEmbedding flat = record("float16", eight, 4, 4);
    flat.setShape(List.of(8));
    assertThatThrownBy(() -> EmbeddingTensor.of(flat))
        .hasMessage("embedding shape must be [C, h, w], was [8]");
    final SliceEmbedding zero = record("float16", eight, 4, 4);
    zero.setShape(List.of(8, 0, 1));
    assertThatThrownBy(() -> EmbeddingTensor.of(zero)).hasMessageContaining("non-positive");
  }

  static SliceEmbedding record(
      final String dtype, final ByteBuffer data, final int height, final int width) {
    return SliceEmbedding.newBuilder()
        .setSliceKey("s/axial/1")
        .setSeriesUid("s")
        .setEncoderModelId("enc")
        .setShape(List.of(2, 2, 2))
        .setDtype(dtype)
        .setData(data)
        .setImageHeight(height)
        .setImageWidth(width)
        .setPixelSpacingRow(1.0)
        .setPixelSpacingCol(1.0)
        .setEncodeMillis(0.0)
        .setEncodedAt(Instant.EPOCH)
        .build();
  }
}
