package io.medsam.stream.topology.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.avro.BoxPrompt;
import io.medsam.stream.avro.SliceEmbedding;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class DecodeChecksTest {

  private static final String SLICE = "s/axial/1";

  @Test
  void promptChecksNeedNoImage() {
    assertThat(DecodeChecks.promptProblem(DecodeFixtures.prompt("p", SLICE, 1, 1, 900, 900), SLICE))
        .isEmpty();
    assertThat(DecodeChecks.promptProblem(DecodeFixtures.prompt("p", SLICE, 1, 1, 5, 5), "other"))
        .hasValue("record key other does not match the prompt's sliceKey " + SLICE);
    assertThat(DecodeChecks.promptProblem(DecodeFixtures.prompt(" ", SLICE, 1, 1, 5, 5), SLICE))
        .hasValue("promptId is empty");
    assertThat(DecodeChecks.promptProblem(DecodeFixtures.prompt("p9", SLICE, 4, 1, 4, 5), SLICE))
        .hasValue("prompt p9: box [4.0, 1.0, 4.0, 5.0] has zero area");
  }

  @Test
  void boxesAreCheckedAgainstTheSliceHeightThenWidth() {
    final SliceEmbedding e = DecodeFixtures.embedding(SLICE, 64, 48); // H = 64, W = 48
    assertThat(DecodeChecks.boxProblem(DecodeFixtures.prompt("p", SLICE, 0, 0, 48, 64), e))
        .as("the right and bottom edges are inside")
        .isEmpty();
    final BoxPrompt wide = DecodeFixtures.prompt("p1", SLICE, 10, 10, 49, 20);
    assertThat(DecodeChecks.boxProblem(wide, e))
        .hasValue(
            "prompt p1: box [10.0, 10.0, 49.0, 20.0] extends outside the 64x48 image (H x W)");
  }

  @Test
  void embeddingsGoThroughTheSharedValidationAndTheirKey() {
    final SliceEmbedding e = DecodeFixtures.embedding(SLICE, 64, 48);
    assertThat(DecodeChecks.embeddingProblem(e, SLICE)).isEmpty();
    assertThat(DecodeChecks.embeddingProblem(e, "s/axial/2"))
        .hasValue("record key s/axial/2 does not match sliceKey " + SLICE);
    final SliceEmbedding float32 =
        SliceEmbedding.newBuilder(e)
            .setDtype("float32")
            .setData(ByteBuffer.wrap(new byte[32]))
            .build();
    assertThat(DecodeChecks.embeddingProblem(float32, SLICE)).as("float32 is accepted").isEmpty();
    final SliceEmbedding truncated =
        SliceEmbedding.newBuilder(e).setData(ByteBuffer.wrap(new byte[10])).build();
    assertThat(DecodeChecks.embeddingProblem(truncated, SLICE))
        .get()
        .asString()
        .contains("10 bytes");
  }
}
