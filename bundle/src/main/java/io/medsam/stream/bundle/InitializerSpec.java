package io.medsam.stream.bundle;

import java.util.List;

/**
 * One decoder initializer as listed in the manifest's "decoder_initializers".
 *
 * @param name state_dict name, e.g. mask_decoder.iou_prediction_head.layers.0.weight
 * @param shape tensor shape
 * @param dtype element type; only float32 is supported by the decoder and trainer
 */
public record InitializerSpec(String name, List<Long> shape, String dtype) {

  /** Copies the shape. */
  public InitializerSpec {
    shape = List.copyOf(shape);
  }

  /**
   * @return the number of elements (product of the shape; 1 for a scalar)
   */
  public long elementCount() {
    long n = 1;
    for (final long d : shape) {
      n *= d;
    }
    return n;
  }

  /**
   * @return the shape as a long array, as ONNX Runtime wants it
   */
  public long[] shapeArray() {
    return shape.stream().mapToLong(Long::longValue).toArray();
  }
}
