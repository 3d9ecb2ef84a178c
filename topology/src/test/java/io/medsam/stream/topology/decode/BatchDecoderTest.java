package io.medsam.stream.topology.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchDecoderTest {

  private static final String SLICE = "s/axial/1";

  private final BoxEchoDecoder echo = new BoxEchoDecoder();

  @Test
  void aBatchThatFailsIsRetriedOneByOneSoOnlyTheBadRequestFails() {
    final List<DecodeRequest> requests = requests("a", BoxEchoDecoder.EXPLODE, "c");
    final List<MaskOutcome> outcomes = new BatchDecoder(echo).decode(requests);
    assertThat(echo.batchSizes).containsExactly(3, 1, 1, 1);
    assertThat(outcomes.get(0)).isInstanceOf(MaskOutcome.Decoded.class);
    assertThat(outcomes.get(1))
        .isEqualTo(new MaskOutcome.Failed("decoder failed: decoder exploded on p1", null));
    assertThat(outcomes.get(2)).isInstanceOf(MaskOutcome.Decoded.class);
  }

  @Test
  void aDecoderThatBreaksItsContractFailsTheRequests() {
    final MaskDecoder tooFew = requests -> List.of();
    assertThat(new BatchDecoder(tooFew).decode(requests("a")))
        .containsExactly(
            new MaskOutcome.Failed(
                "decoder failed: decoder returned 0 results for 1 requests", null));
    final MaskDecoder nulls = requests -> java.util.Arrays.asList((MaskOutcome) null);
    assertThat(new BatchDecoder(nulls).decode(requests("a")))
        .containsExactly(
            new MaskOutcome.Failed("decoder failed: decoder returned a null outcome", null));
    final MaskDecoder throwing =
        requests -> {
          throw new IllegalStateException();
        };
    assertThat(new BatchDecoder(throwing).decode(requests("a")))
        .containsExactly(
            new MaskOutcome.Failed("decoder failed: java.lang.IllegalStateException", null));
  }

  private static List<DecodeRequest> requests(final String... labels) {
    final List<DecodeRequest> out = new ArrayList<>();
    for (int i = 0; i < labels.length; i++) {
      final var prompt = DecodeFixtures.prompt("p" + i, SLICE, 1, 1, 5, 5);
      prompt.setLabel(labels[i]);
      out.add(new DecodeRequest(prompt, DecodeFixtures.embedding(SLICE, 8, 8), Instant.EPOCH));
    }
    return out;
  }
}
