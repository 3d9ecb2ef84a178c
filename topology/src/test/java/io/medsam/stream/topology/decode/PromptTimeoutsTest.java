package io.medsam.stream.topology.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.MaskStatus;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.junit.jupiter.api.Test;

class PromptTimeoutsTest {

  private final MockProcessorContext<String, SpecificRecord> context =
      DecodeFixtures.contextWithStores();
  private final PromptStores stores = PromptStores.of(context);
  private final PromptTimeouts timeouts =
      new PromptTimeouts(Duration.ofSeconds(10), stores, new DecodeOutput(context));

  @Test
  void promptsThatWaitedTheTimeoutAreAnsweredOnceAndTheOthersKeepWaiting() {
    stores.waitForEmbedding(
        DecodeFixtures.pending(DecodeFixtures.prompt("old", "s/axial/1", 1, 1, 5, 5), 1_000, 0));
    stores.waitForEmbedding(
        DecodeFixtures.pending(DecodeFixtures.prompt("new", "s/axial/2", 1, 1, 5, 5), 9_000, 1));

    timeouts.punctuate(10_999);
    assertThat(context.forwarded()).isEmpty();

    timeouts.punctuate(11_000);
    assertThat(context.forwarded()).hasSize(1);
    final MaskResult r = (MaskResult) context.forwarded().get(0).record().value();
    assertThat(r.getPromptId()).isEqualTo("old");
    assertThat(r.getStatus()).isEqualTo(MaskStatus.TIMEOUT);
    assertThat(r.getReason()).isEqualTo("no embedding for slice s/axial/1 within PT10S");
    assertThat(context.forwarded().get(0).record().key()).isEqualTo("s/axial/1");

    context.resetForwards();
    timeouts.punctuate(12_000);
    assertThat(context.forwarded()).isEmpty();
    assertThat(stores.takeWaiting("s/axial/2")).hasSize(1);
  }
}
