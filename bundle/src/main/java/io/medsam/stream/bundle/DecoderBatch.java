package io.medsam.stream.bundle;

import io.medsam.stream.imaging.preprocess.ModelSpace;
import io.medsam.stream.imaging.preprocess.PixelBox;

/**
 * The float inputs of one run of a bundle's mask decoder for N prompts, packed the way the decoder
 * takes them: image embeddings [N, C, h, w] and boxes mapped to model space [N, 4]. No ML runtime:
 * the decoder worker (ONNX Runtime) and the trainer (DJL) each make their own tensors from these
 * arrays and shapes.
 */
public final class DecoderBatch {

  /** Writes one prompt's C*h*w embedding values into the packed array. */
  @FunctionalInterface
  public interface EmbeddingSource {
    /**
     * @param out the packed embeddings
     * @param offset where this prompt's values start
     */
    void copyTo(float[] out, int offset);
  }

  private final ModelBundle bundle;
  private final int embeddingSize;
  private final float[] embeddings;
  private final float[] boxes;
  private final ModelSpace[] spaces;

  /**
   * @param bundle gives the embedding shape, input size and resize rule
   * @param size N, the number of prompts
   */
  public DecoderBatch(final ModelBundle bundle, final int size) {
    if (size < 1) {
      throw new IllegalArgumentException("a decoder batch needs at least one prompt, was " + size);
    }
    this.bundle = bundle;
    this.embeddingSize = bundle.embeddingSize();
    this.embeddings = new float[size * embeddingSize];
    this.boxes = new float[size * 4];
    this.spaces = new ModelSpace[size];
  }

  /**
   * Packs prompt {@code index}.
   *
   * @param embedding writes the prompt's embedding values
   * @param box the prompt's box in original pixels of an {@code height x width} slice
   * @return how that slice maps to model space (to map the decoder's masks back)
   */
  public ModelSpace put(
      final int index,
      final EmbeddingSource embedding,
      final PixelBox box,
      final int height,
      final int width) {
    embedding.copyTo(embeddings, index * embeddingSize);
    final ModelSpace space = bundle.modelSpace(height, width);
    System.arraycopy(space.toModel(box).toFloats(), 0, boxes, index * 4, 4);
    spaces[index] = space;
    return space;
  }

  /** N. */
  public int size() {
    return spaces.length;
  }

  /** The packed embeddings, N*C*h*w values (not copied). */
  public float[] embeddings() {
    return embeddings;
  }

  /** {N, C, h, w}. */
  public long[] embeddingShape() {
    final int[] e = bundle.embeddingShapeArray();
    return new long[] {size(), e[0], e[1], e[2]};
  }

  /** The packed model-space boxes, N rows of {x0, y0, x1, y1} (not copied). */
  public float[] boxes() {
    return boxes;
  }

  /** {N, 4}. */
  public long[] boxShape() {
    return new long[] {size(), 4};
  }

  /** How prompt {@code index}'s slice maps to model space; null until it is put. */
  public ModelSpace modelSpace(final int index) {
    return spaces[index];
  }
}
