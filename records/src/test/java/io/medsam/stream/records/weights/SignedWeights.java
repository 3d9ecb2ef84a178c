package io.medsam.stream.records.weights;

import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.avro.WeightTensor;
import io.medsam.stream.avro.WeightsVerdict;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

/** Small DecoderWeights records for the signing tests. */
final class SignedWeights {

  private SignedWeights() {}

  static DecoderWeights record() {
    return DecoderWeights.newBuilder()
        .setModelId("toy-decoder")
        .setVersion("ft1-1")
        .setParentVersion("toy-1")
        .setCreatedAt(Instant.parse("2026-12-01T10:00:00Z"))
        .setHoldoutDscBefore(0.5)
        .setHoldoutDscAfter(0.6)
        .setVerdict(WeightsVerdict.PUBLISHED)
        .setTensors(
            List.of(
                tensor("mask_decoder.a.weight", List.of(2L, 2L), new byte[16]),
                tensor("mask_decoder.a.bias", List.of(2L), new byte[] {1, 2, 3, 4, 5, 6, 7, 8})))
        .build();
  }

  static WeightTensor tensor(final String name, final List<Long> shape, final byte[] data) {
    return WeightTensor.newBuilder()
        .setName(name)
        .setShape(shape)
        .setDtype("float32")
        .setData(ByteBuffer.wrap(data.clone()))
        .build();
  }

  /** A deep copy whose tensor {@code i} has byte {@code at} flipped. */
  static DecoderWeights flipped(final DecoderWeights w, final int i, final int at) {
    final DecoderWeights copy = DecoderWeights.newBuilder(w).build();
    final WeightTensor t = copy.getTensors().get(i);
    final ByteBuffer src = t.getData().duplicate();
    final byte[] data = new byte[src.remaining()];
    src.get(data);
    data[at] ^= 0x01;
    t.setData(ByteBuffer.wrap(data));
    return copy;
  }
}
