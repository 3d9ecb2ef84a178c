package io.medsam.stream.records;

import io.medsam.stream.avro.SliceEmbedding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link SliceEmbedding} that passed the one embedding validation ({@link #of}): shape [C, h, w]
 * of positive dimensions, a known {@link EmbeddingDtype}, exactly C*h*w values of it, and a
 * positive original image size H x W. Reads the values as floats.
 */
public final class EmbeddingTensor {

  private final SliceEmbedding record;
  private final int[] shape;
  private final EmbeddingDtype dtype;
  private final ByteBuffer data;
  private final int imageHeight;
  private final int imageWidth;

  private EmbeddingTensor(
      final SliceEmbedding record,
      final int[] shape,
      final EmbeddingDtype dtype,
      final ByteBuffer data,
      final int imageHeight,
      final int imageWidth) {
    this.record = record;
    this.shape = shape;
    this.dtype = dtype;
    this.data = data;
    this.imageHeight = imageHeight;
    this.imageWidth = imageWidth;
  }

  /**
   * Validates a record.
   *
   * @param e the record, as decoded from the wire
   * @return its tensor view (sharing the record's data; nothing is copied)
   * @throws InvalidEmbeddingException naming the first problem found
   */
  public static EmbeddingTensor of(final SliceEmbedding e) throws InvalidEmbeddingException {
    final List<Integer> shape = e.getShape();
    if (shape == null || shape.size() != 3) {
      throw new InvalidEmbeddingException("embedding shape must be [C, h, w], was " + shape);
    }
    long elements = 1;
    for (final Integer d : shape) {
      if (d == null || d <= 0) {
        throw new InvalidEmbeddingException(
            "embedding shape has a non-positive dimension: " + shape);
      }
      elements *= d;
    }
    final EmbeddingDtype dtype =
        EmbeddingDtype.of(e.getDtype())
            .orElseThrow(
                () ->
                    new InvalidEmbeddingException(
                        "embedding dtype must be float16 or float32, was " + e.getDtype()));
    final long bytes = e.getData() == null ? -1 : e.getData().remaining();
    if (bytes != elements * dtype.bytes()) {
      throw new InvalidEmbeddingException(
          "embedding data has "
              + bytes
              + " bytes, shape "
              + shape
              + " of "
              + dtype.wireName()
              + " needs "
              + elements * dtype.bytes());
    }
    if (e.getImageHeight() <= 0 || e.getImageWidth() <= 0) {
      throw new InvalidEmbeddingException(
          "embedding image size must be positive, was "
              + e.getImageHeight()
              + "x"
              + e.getImageWidth());
    }
    return new EmbeddingTensor(
        e,
        shape.stream().mapToInt(Integer::intValue).toArray(),
        dtype,
        e.getData().duplicate(),
        e.getImageHeight(),
        e.getImageWidth());
  }

  /**
   * The data of a float16 embedding as the encoder writes it.
   *
   * @param values float32 values, C*h*w of them from {@code offset} on
   * @return little-endian float16 bytes for {@code SliceEmbedding.data}, dtype {@code float16}
   */
  public static ByteBuffer float16Data(final float[] values, final int offset, final int length) {
    return ByteBuffer.wrap(Float16.encode(values, offset, length));
  }

  /** The record this tensor reads (pairs of one slice share it: a key for decoding it once). */
  public SliceEmbedding record() {
    return record;
  }

  /**
   * The data of a float32 embedding (what the trainer's in-process demonstration encoder writes).
   *
   * @param values C*h*w values from {@code offset} on
   * @return little-endian float32 bytes for {@code SliceEmbedding.data}, dtype {@code float32}
   */
  public static ByteBuffer float32Data(final float[] values, final int offset, final int length) {
    final ByteBuffer out = ByteBuffer.allocate(length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    out.asFloatBuffer().put(values, offset, length);
    return out;
  }

  /** [C, h, w] (a copy). */
  public int[] shape() {
    return shape.clone();
  }

  /**
   * @param expected a decoder's [C, h, w]
   * @return whether this embedding has that shape
   */
  public boolean hasShape(final int[] expected) {
    return Arrays.equals(shape, expected);
  }

  /** The element type on the wire. */
  public EmbeddingDtype dtype() {
    return dtype;
  }

  /** C*h*w. */
  public int size() {
    return shape[0] * shape[1] * shape[2];
  }

  /** Original slice height H. */
  public int imageHeight() {
    return imageHeight;
  }

  /** Original slice width W. */
  public int imageWidth() {
    return imageWidth;
  }

  /**
   * Writes the C*h*w values, row-major, as float32 into {@code out} from {@code offset} on (a batch
   * packs several embeddings into one array this way).
   */
  public void copyTo(final float[] out, final int offset) {
    if (dtype == EmbeddingDtype.FLOAT16) {
      Float16.decode(data, out, offset);
    } else {
      data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out, offset, size());
    }
  }

  /** The C*h*w values, row-major, as float32. */
  public float[] values() {
    final float[] out = new float[size()];
    copyTo(out, 0);
    return out;
  }
}
