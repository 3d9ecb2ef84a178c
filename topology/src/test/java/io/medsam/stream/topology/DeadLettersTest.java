package io.medsam.stream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.avro.DeadLetter;
import io.medsam.stream.avro.ImageSlice;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.avro.serde.RecordDecodingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

  @Test
  void decodingFailureBecomesADeadLetterWithSourceAndReason() {
    final byte[] garbage = {0x42, 0x43, 0x44};
    RecordDecodingException error = null;
    try {
      AvroCodec.of(ImageSlice.class).decode(garbage, Topics.SLICES, 2, 41L);
    } catch (RecordDecodingException e) {
      error = e;
    }
    final Instant before = Instant.now().minusMillis(1);

    final DeadLetter letter =
        DeadLetters.of(Topics.SLICES, 2, 41L, "s/axial/1", "encoder", error, garbage);

    assertThat(letter.getSourceTopic()).isEqualTo(Topics.SLICES);
    assertThat(letter.getSourcePartition()).isEqualTo(2);
    assertThat(letter.getSourceOffset()).isEqualTo(41L);
    assertThat(letter.getKey()).isEqualTo("s/axial/1");
    assertThat(letter.getComponent()).isEqualTo("encoder");
    assertThat(letter.getErrorClass()).isEqualTo(RecordDecodingException.class.getName());
    assertThat(letter.getReason())
        .startsWith(RecordDecodingException.class.getName() + ": ")
        .contains("topic medsam.slices.v1 partition 2 offset 41", "BAD_HEADER");
    assertThat(letter.getPayload()).isEqualTo(ByteBuffer.wrap(garbage));
    assertThat(letter.getFailedAt()).isBetween(before, Instant.now());
  }

  @Test
  void reasonNamesTheWholeChainOnce() {
    final IOException root = new IOException("disk gone");
    final IllegalStateException top =
        new IllegalStateException("cannot read slice", new UncheckedIOException("read", root));
    root.initCause(top); // a cycle must not loop

    assertThat(DeadLetters.reason(top))
        .isEqualTo(
            "java.lang.IllegalStateException: cannot read slice; caused by "
                + "java.io.UncheckedIOException: read; caused by java.io.IOException: disk gone");
  }

  @Test
  void longReasonsAreCutAndPayloadIsCopied() {
    final byte[] payload = {1, 2, 3};
    final DeadLetter letter =
        DeadLetters.of(
            Topics.PROMPTS,
            -1,
            -1L,
            null,
            "decoder",
            new RuntimeException("x".repeat(20_000)),
            payload);
    payload[0] = 9;

    assertThat(letter.getReason()).hasSize(DeadLetters.MAX_REASON_LENGTH).endsWith("...");
    assertThat(letter.getPayload()).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3}));
    assertThat(letter.getKey()).isNull();
  }

  @Test
  void refusalWithoutAnExceptionKeepsItsReason() {
    final DeadLetter letter =
        DeadLetters.of(
            Topics.PROMPTS, 0, 5L, "k", "decoder", "box outside the 181x217 image", null);
    assertThat(letter.getReason()).isEqualTo("box outside the 181x217 image");
    assertThat(letter.getErrorClass()).isEqualTo("none");
    assertThat(letter.getPayload()).isNull();
    assertThat(
            AvroCodec.of(DeadLetter.class)
                .decode(AvroCodec.of(DeadLetter.class).encode(letter), Topics.DEAD_LETTERS, 0, 0L))
        .isEqualTo(letter);
  }
}
