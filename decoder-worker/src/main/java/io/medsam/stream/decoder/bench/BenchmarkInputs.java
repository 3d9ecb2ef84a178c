package io.medsam.stream.decoder.bench;

import io.medsam.stream.avro.Box;
import io.medsam.stream.avro.BoxPrompt;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.bundle.ModelBundle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Random;

/**
 * Synthetic, seeded benchmark inputs: float16 embeddings of the bundle's shape (values of magnitude
 * 2^-3 .. 2^2, like a real encoder's) and boxes inside the image. The decoder's cost does not
 * depend on the values, only on the shapes.
 */
final class BenchmarkInputs {

  private BenchmarkInputs() {}

  static SliceEmbedding embedding(
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
      data.putShort((short) (sign | ((12 + random.nextInt(6)) << 10) | random.nextInt(1024)));
    }
    data.flip();
    return SliceEmbedding.newBuilder()
        .setSliceKey(sliceKey)
        .setSeriesUid("bench")
        .setEncoderModelId(bundle.id() + "/" + bundle.version() + "/synthetic")
        .setShape(bundle.embeddingShape())
        .setData(data)
        .setImageHeight(height)
        .setImageWidth(width)
        .setPixelSpacingRow(1.0)
        .setPixelSpacingCol(1.0)
        .setEncodeMillis(0.0)
        .setEncodedAt(Instant.now())
        .build();
  }

  static BoxPrompt prompt(
      final String promptId,
      final String sliceKey,
      final int height,
      final int width,
      final Random random) {
    final float x0 = random.nextInt(width / 2);
    final float y0 = random.nextInt(height / 2);
    final float x1 = x0 + 8 + random.nextInt(width / 2 - 8);
    final float y1 = y0 + 8 + random.nextInt(height / 2 - 8);
    return BoxPrompt.newBuilder()
        .setPromptId(promptId)
        .setSliceKey(sliceKey)
        .setBox(new Box(x0, y0, x1, y1))
        .setRequestedAt(Instant.now())
        .build();
  }
}
