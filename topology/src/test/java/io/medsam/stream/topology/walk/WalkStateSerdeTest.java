package io.medsam.stream.topology.walk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medsam.stream.avro.Box;
import io.medsam.stream.avro.MaskStatus;
import io.medsam.stream.avro.RleMask;
import io.medsam.stream.avro.SliceStep;
import io.medsam.stream.avro.VolumePrompt;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class WalkStateSerdeTest {

  private final WalkStateSerde serde = new WalkStateSerde();

  private static VolumePrompt prompt() {
    return VolumePrompt.newBuilder()
        .setPromptId("vp-1")
        .setSeriesUid("s")
        .setAxis("coronal")
        .setBox(new Box(1f, 2f, 30f, 40f))
        .setZ0(3)
        .setZ1(9)
        .setRequestedAt(Instant.parse("2026-01-01T00:00:00Z"))
        .build();
  }

  @Test
  void aWalkInFlightSurvivesTheChangelog() {
    final SliceStep step =
        SliceStep.newBuilder()
            .setIndex(6)
            .setSliceKey("s/coronal/6")
            .setPromptId("vp-1/6")
            .setStatus(MaskStatus.OK)
            .setBox(new Box(1f, 2f, 30f, 40f))
            .setBoxSource(WalkState.FROM_PROMPT)
            .setMask(new RleMask(4, 4, "04L0"))
            .setArea(3L)
            .build();
    final WalkState s =
        WalkState.start(prompt(), 100L, 2, 17L, "vp-1/6")
            .withStep(step, new Box(0f, 1f, 5f, 6f))
            .next(false, 7, "vp-1/7", new Box(0f, 1f, 5f, 6f), WalkState.FROM_PREVIOUS_MASK, 150L);
    final WalkState back =
        serde.deserializer().deserialize("t", serde.serializer().serialize("t", s));
    assertThat(back).isEqualTo(s);
    assertThat(back.finished()).isFalse();
  }

  @Test
  void aFinishedWalkKeepsOnlyItsIdentity() {
    final WalkState done = WalkState.start(prompt(), 100L, 0, 1L, "vp-1/6").finishedAt(500L);
    final WalkState back =
        serde.deserializer().deserialize("t", serde.serializer().serialize("t", done));
    assertThat(back.finished()).isTrue();
    assertThat(back.awaitingPromptId()).isNull();
    assertThat(back.steps()).isEmpty();
    assertThat(back.storeKey()).isEqualTo("s\u0000vp-1");
  }

  @Test
  void anotherValueIsRefused() {
    assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[] {9, 1}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("walk-state");
  }
}
