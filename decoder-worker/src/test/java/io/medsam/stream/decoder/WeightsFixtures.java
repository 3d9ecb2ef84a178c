package io.medsam.stream.decoder;

import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.avro.WeightTensor;
import io.medsam.stream.bundle.InitializerSpec;
import io.medsam.stream.bundle.ModelBundle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** DecoderWeights records for tests. */
public final class WeightsFixtures {

  private WeightsFixtures() {}

  /**
   * Random small weights (normal x 0.05) for every trainable initializer of the bundle.
   *
   * @param bundle the bundle
   * @param version the version to name
   * @param seed random seed
   */
  public static DecoderWeights random(
      final ModelBundle bundle, final String version, final long seed) {
    final Random random = new Random(seed);
    final List<WeightTensor> tensors = new ArrayList<>();
    for (final InitializerSpec s : bundle.decoderInitializers()) {
      if (!s.name().startsWith(bundle.trainablePrefix())) {
        continue;
      }
      final ByteBuffer data =
          ByteBuffer.allocate((int) s.elementCount() * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (long i = 0; i < s.elementCount(); i++) {
        data.putFloat((float) (random.nextGaussian() * 0.05));
      }
      data.flip();
      tensors.add(tensor(s.name(), s.shape(), data));
    }
    return record(bundle.id(), version, tensors);
  }

  /** A weights record. */
  public static DecoderWeights record(
      final String modelId, final String version, final List<WeightTensor> tensors) {
    return DecoderWeights.newBuilder()
        .setModelId(modelId)
        .setVersion(version)
        .setTensors(tensors)
        .setCreatedAt(Instant.now())
        .build();
  }

  /** One float32 tensor. */
  public static WeightTensor tensor(
      final String name, final List<Long> shape, final ByteBuffer data) {
    return WeightTensor.newBuilder()
        .setName(name)
        .setShape(shape)
        .setDtype("float32")
        .setData(data)
        .build();
  }
}
