package io.medsam.stream.decoder.session;

import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.avro.WeightTensor;
import io.medsam.stream.avro.WeightsVerdict;
import io.medsam.stream.bundle.InitializerSpec;
import io.medsam.stream.bundle.ModelBundle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a DecoderWeights record against the bundle's manifest before any session is built from it.
 * Rules: not a candidate the trainer's gate rejected (verdict REJECTED); at least one tensor;
 * unique names, each one of the manifest's decoder_initializers; every initializer under the
 * trainable prefix present (a record is a full set of fine-tunable weights; frozen ones may be
 * included and are then replaced too); dtype float32; shape equal to the manifest's; data exactly
 * elements x 4 bytes; finite values.
 */
public final class WeightsCheck {

  private WeightsCheck() {}

  /**
   * @param record the weights record
   * @param bundle the bundle whose decoder the weights are for
   * @return the validated tensors
   * @throws WeightsRejectedException naming the first tensor that does not fit, and why
   */
  public static ValidatedWeights validate(final DecoderWeights record, final ModelBundle bundle)
      throws WeightsRejectedException {
    if (record.getVersion() == null || record.getVersion().isBlank()) {
      throw new WeightsRejectedException("weights record has no version");
    }
    if (record.getVerdict() == WeightsVerdict.REJECTED) {
      throw new WeightsRejectedException(
          "weights "
              + record.getVersion()
              + " are a candidate the trainer's gate rejected (a history record, never served)");
    }
    final List<WeightTensor> tensors = record.getTensors();
    if (tensors == null || tensors.isEmpty()) {
      throw new WeightsRejectedException("weights " + record.getVersion() + " hold no tensors");
    }
    final Set<String> seen = new HashSet<>();
    final List<ValidatedWeights.Tensor> out = new ArrayList<>(tensors.size());
    for (final WeightTensor t : tensors) {
      final String where = "weights " + record.getVersion() + ", tensor " + t.getName() + ": ";
      final Optional<InitializerSpec> spec = bundle.decoderInitializer(t.getName());
      if (spec.isEmpty()) {
        throw new WeightsRejectedException(where + "not an initializer of the bundle's decoder");
      }
      if (!seen.add(t.getName())) {
        throw new WeightsRejectedException(where + "appears twice");
      }
      if (!"float32".equals(t.getDtype()) || !"float32".equals(spec.get().dtype())) {
        throw new WeightsRejectedException(
            where
                + "dtype "
                + t.getDtype()
                + ", decoder wants "
                + spec.get().dtype()
                + " (only float32 is supported)");
      }
      if (!spec.get().shape().equals(t.getShape())) {
        throw new WeightsRejectedException(
            where + "shape " + t.getShape() + ", decoder wants " + spec.get().shape());
      }
      final ByteBuffer data = t.getData().duplicate().order(ByteOrder.LITTLE_ENDIAN);
      final long expected = spec.get().elementCount() * Float.BYTES;
      if (data.remaining() != expected) {
        throw new WeightsRejectedException(
            where
                + data.remaining()
                + " bytes of data, shape "
                + t.getShape()
                + " needs "
                + expected);
      }
      final FloatBuffer values = data.asFloatBuffer();
      for (int i = 0; i < values.limit(); i++) {
        if (!Float.isFinite(values.get(i))) {
          throw new WeightsRejectedException(
              where + "value " + i + " is not finite (corrupt data?)");
        }
      }
      out.add(
          new ValidatedWeights.Tensor(
              spec.get(), data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN)));
    }
    for (final InitializerSpec s : bundle.decoderInitializers()) {
      if (s.name().startsWith(bundle.trainablePrefix()) && !seen.contains(s.name())) {
        throw new WeightsRejectedException(
            "weights " + record.getVersion() + " lack trainable initializer " + s.name());
      }
    }
    return new ValidatedWeights(record.getVersion(), out);
  }
}
