package io.medsam.stream.decoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.decoder.session.DecoderSessions;
import io.medsam.stream.decoder.session.MaskDecoderSession;
import io.medsam.stream.decoder.session.SessionSettings;
import io.medsam.stream.records.EmbeddingTensor;
import io.medsam.stream.topology.decode.DecodeRequest;
import io.medsam.stream.topology.decode.MaskOutcome;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OnnxMaskDecoderTest {

  private static ModelBundle bundle;
  private static DecoderSessions sessions;
  private static OnnxMaskDecoder decoder;

  @BeforeAll
  static void open() throws Exception {
    bundle = ModelBundle.read(TestBundles.tinyBundle());
    sessions =
        new DecoderSessions(
            MaskDecoderSession.open(
                bundle, new SessionSettings(1, 1, OptLevel.ALL_OPT), Optional.empty()));
    decoder = new OnnxMaskDecoder(bundle, sessions);
  }

  @AfterAll
  static void close() {
    sessions.close();
  }

  @Test
  void batchGivesTheSameMasksAsOneByOne() throws Exception {
    final List<DecodeRequest> requests = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      final SliceEmbedding e = Fixtures.embedding(bundle, "s/axial/" + i, 217, 181, i);
      requests.add(
          new DecodeRequest(
              Fixtures.prompt("p" + i, "s/axial/" + i, 20 + i, 30, 120 + 5 * i, 160),
              e,
              Instant.now()));
    }
    final List<MaskOutcome> batch = decoder.decode(requests);
    assertThat(batch).hasSize(5);
    for (int i = 0; i < 5; i++) {
      final MaskOutcome.Decoded alone =
          (MaskOutcome.Decoded) decoder.decode(List.of(requests.get(i))).get(0);
      assertThat(batch.get(i)).isInstanceOf(MaskOutcome.Decoded.class);
      final MaskOutcome.Decoded r = (MaskOutcome.Decoded) batch.get(i);
      assertThat(r.mask().height()).isEqualTo(217);
      assertThat(r.mask().width()).isEqualTo(181);
      assertThat(r.mask()).isEqualTo(alone.mask());
      assertThat(r.score()).isCloseTo(alone.score(), within(1e-5f));
      assertThat(r.decoderWeightsVersion()).isEqualTo(bundle.version());
    }
  }

  @Test
  void float32EmbeddingDecodesLikeItsFloat16Twin() throws Exception {
    final SliceEmbedding half = Fixtures.embedding(bundle, "s/axial/1", 64, 64, 3);
    final float[] values = EmbeddingTensor.of(half).values();
    final ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    data.asFloatBuffer().put(values);
    final SliceEmbedding single =
        SliceEmbedding.newBuilder(half).setDtype("float32").setData(data).build();
    final List<MaskOutcome> results =
        decoder.decode(
            List.of(
                new DecodeRequest(
                    Fixtures.prompt("half", "s/axial/1", 1, 1, 30, 30), half, Instant.now()),
                new DecodeRequest(
                    Fixtures.prompt("single", "s/axial/1", 1, 1, 30, 30), single, Instant.now())));
    assertThat(((MaskOutcome.Decoded) results.get(1)).mask())
        .isEqualTo(((MaskOutcome.Decoded) results.get(0)).mask());
  }

  @Test
  void embeddingOfAnotherShapeIsAnErrorForThatPromptOnly() throws Exception {
    final SliceEmbedding good = Fixtures.embedding(bundle, "s/axial/1", 64, 64, 1);
    final SliceEmbedding bad = SliceEmbedding.newBuilder(good).setShape(List.of(1, 2, 3)).build();
    final List<MaskOutcome> results =
        decoder.decode(
            List.of(
                new DecodeRequest(
                    Fixtures.prompt("ok", "s/axial/1", 1, 1, 30, 30), good, Instant.now()),
                new DecodeRequest(
                    Fixtures.prompt("bad", "s/axial/1", 1, 1, 30, 30), bad, Instant.now())));
    assertThat(results.get(0)).isInstanceOf(MaskOutcome.Decoded.class);
    assertThat(results.get(1)).isInstanceOf(MaskOutcome.Failed.class);
    assertThat(((MaskOutcome.Failed) results.get(1)).reason())
        .contains("embedding shape [1, 2, 3]");
    assertThat(results.get(1).decoderWeightsVersion()).isEqualTo(bundle.version());
  }
}
