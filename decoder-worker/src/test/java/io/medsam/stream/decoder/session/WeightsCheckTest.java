package io.medsam.stream.decoder.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.avro.WeightTensor;
import io.medsam.stream.avro.WeightsVerdict;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.decoder.TestBundles;
import io.medsam.stream.decoder.WeightsFixtures;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WeightsCheckTest {

  private static ModelBundle bundle;

  @BeforeAll
  static void readBundle() throws Exception {
    bundle = ModelBundle.read(TestBundles.tinyBundle());
  }

  @Test
  void acceptsAFullSetOfTrainableWeights() throws Exception {
    final DecoderWeights w = WeightsFixtures.random(bundle, "2", 1);
    final ValidatedWeights v = WeightsCheck.validate(w, bundle);
    assertThat(v.version()).isEqualTo("2");
    assertThat(v.tensors()).hasSize(w.getTensors().size());
  }

  @Test
  void refusesACandidateTheGateRejected() {
    final DecoderWeights w =
        DecoderWeights.newBuilder(WeightsFixtures.random(bundle, "rejected1-5", 1))
            .setVerdict(WeightsVerdict.REJECTED)
            .setVerdictReason("held-out DSC fell")
            .build();
    assertThatThrownBy(() -> WeightsCheck.validate(w, bundle))
        .isInstanceOf(WeightsRejectedException.class)
        .hasMessageContaining("rejected1-5")
        .hasMessageContaining("gate rejected");
  }

  @Test
  void rejectsAnUnknownName() {
    final DecoderWeights w = modified(0, t -> t.setName("mask_decoder.no_such_layer.weight"));
    assertThatThrownBy(() -> WeightsCheck.validate(w, bundle))
        .isInstanceOf(WeightsRejectedException.class)
        .hasMessageContaining("mask_decoder.no_such_layer.weight")
        .hasMessageContaining("not an initializer");
  }

  @Test
  void rejectsAWrongShape() {
    final DecoderWeights w =
        modified(
            0,
            t -> {
              final List<Long> shape = new ArrayList<>(t.getShape());
              shape.add(0, 1L);
              t.setShape(shape);
            });
    assertThatThrownBy(() -> WeightsCheck.validate(w, bundle))
        .isInstanceOf(WeightsRejectedException.class)
        .hasMessageContaining("shape");
  }

  @Test
  void rejectsTruncatedBytes() {
    final DecoderWeights w =
        modified(
            0,
            t -> {
              final ByteBuffer d = t.getData().duplicate();
              d.limit(d.limit() - 3);
              t.setData(d);
            });
    assertThatThrownBy(() -> WeightsCheck.validate(w, bundle))
        .isInstanceOf(WeightsRejectedException.class)
        .hasMessageContaining("bytes of data");
  }

  @Test
  void rejectsNonFiniteValues() {
    final DecoderWeights w =
        modified(
            0,
            t -> {
              final ByteBuffer d =
                  ByteBuffer.allocate(t.getData().remaining()).order(ByteOrder.LITTLE_ENDIAN);
              d.put(t.getData().duplicate()).putFloat(0, Float.NaN).flip();
              t.setData(d);
            });
    assertThatThrownBy(() -> WeightsCheck.validate(w, bundle)).hasMessageContaining("not finite");
  }

  @Test
  void rejectsAWrongDtypeAMissingTrainableTensorAndDuplicates() {
    assertThatThrownBy(() -> WeightsCheck.validate(modified(0, t -> t.setDtype("float16")), bundle))
        .hasMessageContaining("dtype float16");
    final DecoderWeights missing = WeightsFixtures.random(bundle, "2", 1);
    final WeightTensor dropped = missing.getTensors().remove(0);
    assertThatThrownBy(() -> WeightsCheck.validate(missing, bundle))
        .hasMessageContaining("lack trainable initializer " + dropped.getName());
    final DecoderWeights twice = WeightsFixtures.random(bundle, "2", 1);
    twice.getTensors().add(twice.getTensors().get(0));
    assertThatThrownBy(() -> WeightsCheck.validate(twice, bundle))
        .hasMessageContaining("appears twice");
  }

  private static DecoderWeights modified(
      final int index, final java.util.function.Consumer<WeightTensor> change) {
    final DecoderWeights w = WeightsFixtures.random(bundle, "2", 1);
    change.accept(w.getTensors().get(index));
    return w;
  }
}
