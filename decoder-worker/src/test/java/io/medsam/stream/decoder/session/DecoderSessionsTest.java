package io.medsam.stream.decoder.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.decoder.TestBundles;
import io.medsam.stream.decoder.WeightsFixtures;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DecoderSessionsTest {

  private static final SessionSettings ONE_THREAD = new SessionSettings(1, 1, OptLevel.ALL_OPT);
  private static ModelBundle bundle;

  @BeforeAll
  static void readBundle() throws Exception {
    bundle = ModelBundle.read(TestBundles.tinyBundle());
  }

  @Test
  void inFlightBatchFinishesOnTheOldSessionWhichClosesAfterwards() throws Exception {
    final MaskDecoderSession own = MaskDecoderSession.open(bundle, ONE_THREAD, Optional.empty());
    final MaskDecoderSession swapped =
        MaskDecoderSession.open(
            bundle,
            ONE_THREAD,
            Optional.of(WeightsCheck.validate(WeightsFixtures.random(bundle, "2", 7), bundle)));
    final float[] embedding =
        new float[bundle.embeddingShape().stream().reduce(1, (a, b) -> a * b)];
    java.util.Arrays.fill(embedding, 0.25f);
    final float[] box = {10, 12, 60, 70};
    try (DecoderSessions sessions = new DecoderSessions(own)) {
      assertThat(sessions.currentVersion()).isEqualTo(bundle.version());
      final DecoderSessions.Lease inFlight = sessions.acquire();
      sessions.swap(swapped);
      assertThat(sessions.currentVersion()).isEqualTo("2");

      // the batch that started before the swap still runs on the old weights
      final DecoderOutput old = inFlight.session().run(embedding, box, 1);
      assertThat(inFlight.session().weightsVersion()).isEqualTo(bundle.version());
      try (DecoderSessions.Lease next = sessions.acquire()) {
        assertThat(next.session().weightsVersion()).isEqualTo("2");
        final DecoderOutput fresh = next.session().run(embedding, box, 1);
        assertThat(fresh.lowResLogits()).isNotEqualTo(old.lowResLogits());
      }
      inFlight.close();
      // the last lease released: the old session is closed
      assertThatThrownBy(() -> own.run(embedding, box, 1))
          .isInstanceOf(IllegalStateException.class);
    }
    assertThatThrownBy(() -> swapped.run(embedding, box, 1))
        .isInstanceOf(IllegalStateException.class);
  }
}
