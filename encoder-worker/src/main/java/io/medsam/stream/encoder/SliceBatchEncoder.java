package io.medsam.stream.encoder;

import io.medsam.stream.avro.ImageSlice;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.imaging.preprocess.ModelInput;
import io.medsam.stream.imaging.preprocess.ResizeRule;
import io.medsam.stream.records.EmbeddingDtype;
import io.medsam.stream.records.EmbeddingTensor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a batch of ImageSlices into SliceEmbeddings with one encoder run: builds each slice's model
 * input [3,S,S], packs them into [N,3,S,S], runs the session and cuts the output into per-slice
 * float16 little-endian embeddings.
 */
public final class SliceBatchEncoder {

  private final ImageEncoderSession session;
  private final int imageSize;
  private final ResizeRule resize;

  /** Uses the bundle's image size and resize rule. */
  public SliceBatchEncoder(final ImageEncoderSession session) {
    this.session = session;
    this.imageSize = session.bundle().imageSize();
    this.resize = session.bundle().resize();
  }

  /** The result of one encoder run. */
  public record EncodedBatch(List<SliceEmbedding> embeddings, long encodeNanos) {}

  /**
   * Encodes {@code slices} in one run.
   *
   * @throws EncoderException when ONNX Runtime fails
   * @throws IllegalArgumentException when a slice's pixels do not match its height/width/channels
   */
  public EncodedBatch encode(final List<ImageSlice> slices) throws EncoderException {
    final int count = slices.size();
    final int perImage = 3 * imageSize * imageSize;
    final float[] packed = new float[count * perImage];
    for (int i = 0; i < count; i++) {
      final float[] input =
          ModelInput.build(SliceImages.toSlice2D(slices.get(i)), imageSize, resize);
      System.arraycopy(input, 0, packed, i * perImage, perImage);
    }
    final long started = System.nanoTime();
    final float[] output = session.encode(packed, count);
    final long nanos = System.nanoTime() - started;
    final int size = session.bundle().embeddingSize();
    final double millisPerSlice = nanos / 1e6 / count;
    final Instant now = Instant.now();
    final List<SliceEmbedding> embeddings = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      final ImageSlice slice = slices.get(i);
      embeddings.add(
          SliceEmbedding.newBuilder()
              .setSliceKey(slice.getSliceKey())
              .setSeriesUid(slice.getSeriesUid())
              .setEncoderModelId(session.encoderModelId())
              .setShape(session.bundle().embeddingShape())
              .setDtype(EmbeddingDtype.FLOAT16.wireName())
              .setData(EmbeddingTensor.float16Data(output, i * size, size))
              .setImageHeight(slice.getHeight())
              .setImageWidth(slice.getWidth())
              .setPixelSpacingRow(slice.getPixelSpacingRow())
              .setPixelSpacingCol(slice.getPixelSpacingCol())
              .setEncodeMillis(millisPerSlice)
              .setEncodedAt(now)
              .build());
    }
    return new EncodedBatch(embeddings, nanos);
  }

  /** The session used. */
  public ImageEncoderSession session() {
    return session;
  }
}
