package io.medsam.stream.topology.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.avro.BoxPrompt;
import io.medsam.stream.avro.DeadLetter;
import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.MaskStatus;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.topology.Topics;
import java.time.Duration;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DecodeBatcherTest {

  private static final String SLICE = "s/axial/1";
  private static final long NOW = 50_000;

  private final BoxEchoDecoder echo = new BoxEchoDecoder();
  private final MockProcessorContext<String, SpecificRecord> context =
      DecodeFixtures.contextWithStores();
  private final PromptStores stores = PromptStores.of(context);
  private final DecodeBatcher batcher =
      new DecodeBatcher(
          DecodeTopologyConfig.defaults(echo).withBatching(Duration.ofMillis(5), 3, Duration.ZERO),
          stores,
          new DecodeOutput(context));

  @BeforeEach
  void clock() {
    context.setCurrentSystemTimeMs(NOW);
  }

  @Test
  void aFullBatchIsDecodedAtOnceAndTheRestOnFlush() {
    stores.putEmbedding(SLICE, DecodeFixtures.embedding(SLICE, 64, 48));
    for (int i = 0; i < 4; i++) {
      batcher.add(pending("p" + i, 1, 1, 5, 5), stores.embedding(SLICE), NOW);
    }
    assertThat(echo.batchSizes).containsExactly(3);
    assertThat(batcher.flushIfReady(NOW)).isTrue();
    assertThat(echo.batchSizes).containsExactly(3, 1);
    assertThat(batcher.flushIfReady(NOW)).isFalse();
    assertThat(results())
        .extracting(MaskResult::getPromptId)
        .containsExactly("p0", "p1", "p2", "p3");
    assertThat(results())
        .allSatisfy(r -> assertThat(r.getProducedAt().toEpochMilli()).isGreaterThanOrEqualTo(NOW));
  }

  @Test
  void boxOutsideTheImageIsAnsweredInsteadOfQueued() {
    stores.putEmbedding(SLICE, DecodeFixtures.embedding(SLICE, 64, 48));
    batcher.add(pending("wide", 0, 0, 49, 10), stores.embedding(SLICE), NOW);
    assertThat(stores.anyReady()).isFalse();
    final MaskResult r = results().get(0);
    assertThat(r.getStatus()).isEqualTo(MaskStatus.INVALID_PROMPT);
    assertThat(r.getReason()).contains("outside the 64x48 image");
    assertThat(r.getProducedAt().toEpochMilli()).isEqualTo(NOW);
  }

  @Test
  void readyPromptWhoseEmbeddingWasDeletedWaitsAgain() {
    stores.putEmbedding(SLICE, DecodeFixtures.embedding(SLICE, 64, 48));
    batcher.add(pending("p", 1, 1, 5, 5), stores.embedding(SLICE), NOW);
    stores.deleteEmbedding(SLICE);
    batcher.flush(NOW);
    assertThat(echo.batchSizes).isEmpty();
    assertThat(context.forwarded()).isEmpty();
    assertThat(stores.takeWaiting(SLICE)).hasSize(1);
  }

  @Test
  void anErrorIsAnsweredAndDeadLetteredWithThePrompt() {
    stores.putEmbedding(SLICE, DecodeFixtures.embedding(SLICE, 64, 48));
    final PendingPrompt boom = pending("boom", 1, 1, 5, 5);
    boom.prompt().setLabel(BoxEchoDecoder.EXPLODE);
    batcher.decodeNow(boom, stores.embedding(SLICE), NOW);
    final List<SpecificRecord> out =
        context.forwarded().stream().map(f -> (SpecificRecord) f.record().value()).toList();
    assertThat(out).hasSize(2);
    assertThat(((MaskResult) out.get(0)).getStatus()).isEqualTo(MaskStatus.ERROR);
    final DeadLetter d = (DeadLetter) out.get(1);
    assertThat(d.getSourceTopic()).isEqualTo(Topics.PROMPTS);
    assertThat(d.getSourceOffset()).isEqualTo(7L);
    assertThat(d.getComponent()).isEqualTo(DecodeOutput.COMPONENT);
    assertThat(d.getReason()).contains("exploded");
    final byte[] payload = new byte[d.getPayload().remaining()];
    d.getPayload().duplicate().get(payload);
    assertThat(AvroCodec.of(BoxPrompt.class).decode(payload, Topics.PROMPTS, 0, 7).getPromptId())
        .isEqualTo("boom");
  }

  private static PendingPrompt pending(
      final String id, final float x0, final float y0, final float x1, final float y1) {
    return DecodeFixtures.pending(DecodeFixtures.prompt(id, SLICE, x0, y0, x1, y1), NOW, 7);
  }

  private List<MaskResult> results() {
    return context.forwarded().stream()
        .map(f -> f.record().value())
        .filter(MaskResult.class::isInstance)
        .map(MaskResult.class::cast)
        .toList();
  }
}
