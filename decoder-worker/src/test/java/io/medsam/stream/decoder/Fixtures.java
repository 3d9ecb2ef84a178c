package io.medsam.stream.decoder;

import io.medsam.stream.avro.Box;
import io.medsam.stream.avro.BoxPrompt;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.bundle.ModelBundle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Random;

/** Test records: random float16 embeddings of a bundle's shape, box prompts. */
public final class Fixtures {

  private Fixtures() {}

  /**
   * A slice embedding with random float16 values of magnitude 2^-3 .. 2^3.
   *
   * @param bundle gives the shape
   * @param sliceKey key of the slice
   * @param height image H
   * @param width image W
   * @param seed random seed
   */
  public static SliceEmbedding embedding(
      final ModelBundle bundle,
      final String sliceKey,
      final int height,
      final int width,
      final long seed) {
    final int n = bundle.embeddingShape().stream().reduce(1, (a, b) -> a * b);
    final ByteBuffer data = ByteBuffer.allocate(2 * n).order(ByteOrder.LITTLE_ENDIAN);
    final Random random = new Random(seed);
    for (int i = 0; i < n; i++) {
      final int sign = random.nextBoolean() ? 0x8000 : 0;
      final int exponent = 12 + random.nextInt(6); // 2^-3 .. 2^2
      data.putShort((short) (sign | (exponent << 10) | random.nextInt(1024)));
    }
    data.flip();
    return SliceEmbedding.newBuilder()
        .setSliceKey(sliceKey)
        .setSeriesUid(sliceKey.substring(0, sliceKey.indexOf('/')))
        .setEncoderModelId(bundle.id() + "/" + bundle.version() + "/test-encoder")
        .setShape(bundle.embeddingShape())
        .setDtype("float16")
        .setData(data)
        .setImageHeight(height)
        .setImageWidth(width)
        .setPixelSpacingRow(1.0)
        .setPixelSpacingCol(1.0)
        .setEncodeMillis(0.0)
        .setEncodedAt(Instant.now())
        .build();
  }

  /** A box prompt requested now. */
  public static BoxPrompt prompt(
      final String promptId,
      final String sliceKey,
      final float x0,
      final float y0,
      final float x1,
      final float y1) {
    return BoxPrompt.newBuilder()
        .setPromptId(promptId)
        .setSliceKey(sliceKey)
        .setBox(new Box(x0, y0, x1, y1))
        .setRequestedAt(Instant.now())
        .build();
  }
}
