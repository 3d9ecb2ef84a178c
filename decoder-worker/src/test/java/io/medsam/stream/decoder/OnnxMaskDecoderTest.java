package io.medsam.stream.decoder;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.MaskStatus;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.decoder.session.DecoderSessions;
import io.medsam.stream.decoder.session.MaskDecoderSession;
import io.medsam.stream.decoder.session.SessionSettings;
import io.medsam.stream.topology.decode.DecodeRequest;
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
    final List<MaskResult> batch = decoder.decode(requests);
    assertThat(batch).hasSize(5);
    for (int i = 0; i < 5; i++) {
      final MaskResult alone = decoder.decode(List.of(requests.get(i))).get(0);
      final MaskResult r = batch.get(i);
      assertThat(r.getStatus()).isEqualTo(MaskStatus.OK);
      assertThat(r.getPromptId()).isEqualTo("p" + i);
      assertThat(r.getMask().getHeight()).isEqualTo(217);
      assertThat(r.getMask().getWidth()).isEqualTo(181);
      assertThat(r.getMask().getCounts()).isEqualTo(alone.getMask().getCounts());
      assertThat(r.getScore())
          .isCloseTo(alone.getScore(), org.assertj.core.api.Assertions.within(1e-5f));
      assertThat(r.getDecoderWeightsVersion()).isEqualTo(bundle.version());
      assertThat(r.getEncoderModelId()).isEqualTo(requests.get(i).embedding().getEncoderModelId());
      assertThat(r.getBbox()).hasSize(4);
      final long area = r.getArea();
      if (area > 0) {
        assertThat((double) r.getBbox().get(2) * r.getBbox().get(3)).isGreaterThanOrEqualTo(area);
      }
    }
  }

  @Test
  void embeddingOfAnotherShapeIsAnErrorForThatPromptOnly() throws Exception {
    final SliceEmbedding good = Fixtures.embedding(bundle, "s/axial/1", 64, 64, 1);
    final SliceEmbedding bad = SliceEmbedding.newBuilder(good).setShape(List.of(1, 2, 3)).build();
    final List<MaskResult> results =
        decoder.decode(
            List.of(
                new DecodeRequest(
                    Fixtures.prompt("ok", "s/axial/1", 1, 1, 30, 30), good, Instant.now()),
                new DecodeRequest(
                    Fixtures.prompt("bad", "s/axial/1", 1, 1, 30, 30), bad, Instant.now())));
    assertThat(results.get(0).getStatus()).isEqualTo(MaskStatus.OK);
    assertThat(results.get(1).getStatus()).isEqualTo(MaskStatus.ERROR);
    assertThat(results.get(1).getReason()).contains("embedding shape [1, 2, 3]");
  }
}
