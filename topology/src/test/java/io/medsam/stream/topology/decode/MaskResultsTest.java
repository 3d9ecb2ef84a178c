package io.medsam.stream.topology.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.avro.BoxPrompt;
import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.MaskStatus;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.records.Masks;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MaskResultsTest {

  private static final String SLICE = "s/axial/1";
  private static final long NOW = DecodeFixtures.REQUESTED.toEpochMilli() + 250;

  private final BoxPrompt prompt = DecodeFixtures.prompt("p1", SLICE, 1, 0, 3, 2);
  private final DecodeRequest request =
      new DecodeRequest(prompt, DecodeFixtures.embedding(SLICE, 2, 3), Instant.ofEpochMilli(NOW));

  @Test
  void decodedMaskBecomesAnOkResultWithRleBboxAreaAndStamps() throws Exception {
    final BinaryMask mask =
        new BinaryMask(new boolean[] {false, true, true, false, true, false}, 2, 3);
    final MaskResult r =
        MaskResults.of(request, new MaskOutcome.Decoded(mask, 0.75f, "w-2", 12.5), NOW);
    assertThat(r.getStatus()).isEqualTo(MaskStatus.OK);
    assertThat(r.getPromptId()).isEqualTo("p1");
    assertThat(r.getSliceKey()).isEqualTo(SLICE);
    assertThat(r.getLabel()).isEqualTo("liver");
    assertThat(Masks.toBinaryMask(r.getMask(), "result")).isEqualTo(mask);
    assertThat(r.getBbox()).containsExactly(1f, 0f, 2f, 2f);
    assertThat(r.getArea()).isEqualTo(3);
    assertThat(r.getScore()).isEqualTo(0.75f);
    assertThat(r.getEncoderModelId()).isEqualTo("enc-A");
    assertThat(r.getDecoderWeightsVersion()).isEqualTo("w-2");
    assertThat(r.getDecodeMillis()).isEqualTo(12.5);
    assertThat(r.getProducedAt()).isEqualTo(Instant.ofEpochMilli(NOW));
    assertThat(r.getLatencyMillis()).isEqualTo(250.0);
    assertThat(r.getReason()).isNull();
  }

  @Test
  void failedOutcomeBecomesAnErrorNamingEncoderAndWeights() {
    final MaskResult r = MaskResults.of(request, new MaskOutcome.Failed("bad shape", "w-2"), NOW);
    assertThat(r.getStatus()).isEqualTo(MaskStatus.ERROR);
    assertThat(r.getReason()).isEqualTo("bad shape");
    assertThat(r.getMask()).isNull();
    assertThat(r.getEncoderModelId()).isEqualTo("enc-A");
    assertThat(r.getDecoderWeightsVersion()).isEqualTo("w-2");
    assertThat(r.getLatencyMillis()).isEqualTo(250.0);
  }

  @Test
  void answersWithoutMaskCarryTheReasonAndStamps() {
    final MaskResult r = MaskResults.withoutMask(prompt, MaskStatus.TIMEOUT, "too late", NOW);
    assertThat(r.getStatus()).isEqualTo(MaskStatus.TIMEOUT);
    assertThat(r.getReason()).isEqualTo("too late");
    assertThat(r.getLabel()).isEqualTo("liver");
    assertThat(r.getEncoderModelId()).isNull();
    assertThat(r.getProducedAt()).isEqualTo(Instant.ofEpochMilli(NOW));
    assertThat(r.getLatencyMillis()).isEqualTo(250.0);
    final MaskResult early =
        MaskResults.withoutMask(prompt, MaskStatus.INVALID_PROMPT, "x", NOW - 1_000);
    assertThat(early.getLatencyMillis()).as("never negative").isZero();
  }
}
