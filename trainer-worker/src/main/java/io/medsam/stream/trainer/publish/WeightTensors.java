package io.medsam.stream.trainer.publish;

import io.medsam.stream.avro.WeightTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converts between named float arrays and WeightTensor records (float32, little-endian). */
public final class WeightTensors {

  private WeightTensors() {}

  /** One WeightTensor per entry, in the map's order. */
  public static List<WeightTensor> toRecords(
      final Map<String, float[]> weights, final Map<String, long[]> shapes) {
    final List<WeightTensor> out = new ArrayList<>();
    for (final Map.Entry<String, float[]> e : weights.entrySet()) {
      final long[] shape = shapes.get(e.getKey());
      if (shape == null || Arrays.stream(shape).reduce(1, (a, b) -> a * b) != e.getValue().length) {
        throw new IllegalArgumentException("shape of " + e.getKey() + " does not fit its values");
      }
      final ByteBuffer data =
          ByteBuffer.allocate(e.getValue().length * 4).order(ByteOrder.LITTLE_ENDIAN);
      data.asFloatBuffer().put(e.getValue());
      final List<Long> dims = new ArrayList<>();
      for (final long d : shape) {
        dims.add(d);
      }
      out.add(
          WeightTensor.newBuilder()
              .setName(e.getKey())
              .setShape(dims)
              .setDtype("float32")
              .setData(data)
              .build());
    }
    return out;
  }

  /**
   * Named float arrays from WeightTensor records.
   *
   * @throws IllegalArgumentException if a tensor is not float32 or its byte count does not fit its
   *     shape
   */
  public static Map<String, float[]> fromRecords(final List<WeightTensor> tensors) {
    final Map<String, float[]> out = new LinkedHashMap<>();
    for (final WeightTensor t : tensors) {
      final long n = t.getShape().stream().mapToLong(Long::longValue).reduce(1, (a, b) -> a * b);
      final ByteBuffer data = t.getData().duplicate().order(ByteOrder.LITTLE_ENDIAN);
      if (!"float32".equals(t.getDtype()) || data.remaining() != n * 4) {
        throw new IllegalArgumentException(
            "tensor " + t.getName() + " is not float32 of its shape");
      }
      final float[] values = new float[(int) n];
      data.asFloatBuffer().get(values);
      out.put(t.getName(), values);
    }
    return out;
  }
}
