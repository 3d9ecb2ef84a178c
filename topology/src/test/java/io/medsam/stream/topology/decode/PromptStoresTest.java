package io.medsam.stream.topology.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PromptStoresTest {

  private final PromptStores stores = PromptStores.of(DecodeFixtures.contextWithStores());

  @Test
  void waitingPromptsAreTakenPerSliceOnlyOnce() {
    stores.waitForEmbedding(pending("a", "s/axial/1", 0));
    stores.waitForEmbedding(pending("b", "s/axial/1", 0));
    stores.waitForEmbedding(pending("c", "s/axial/10", 0)); // a slice key with the same prefix
    assertThat(ids(stores.takeWaiting("s/axial/1"))).containsExactly("a", "b");
    assertThat(stores.takeWaiting("s/axial/1")).isEmpty();
    assertThat(ids(stores.takeWaiting("s/axial/10"))).containsExactly("c");
  }

  @Test
  void expiredPromptsLeaveTheOthersWaiting() {
    stores.waitForEmbedding(pending("old", "s/axial/1", 1_000));
    stores.waitForEmbedding(pending("new", "s/axial/2", 5_000));
    assertThat(ids(stores.takeExpired(11_000, 10_000))).containsExactly("old");
    assertThat(stores.takeExpired(11_000, 10_000)).isEmpty();
    assertThat(ids(stores.takeExpired(15_000, 10_000))).containsExactly("new");
  }

  @Test
  void readyPromptsAreCountedAndTakenInBatches() {
    assertThat(stores.anyReady()).isFalse();
    assertThat(stores.markReady(pending("a", "s/axial/1", 0))).isEqualTo(1);
    assertThat(stores.markReady(pending("b", "s/axial/1", 0))).isEqualTo(2);
    assertThat(stores.markReady(pending("c", "s/axial/2", 0))).isEqualTo(3);
    assertThat(ids(stores.takeReady(2))).containsExactly("a", "b");
    assertThat(stores.anyReady()).isTrue();
    assertThat(ids(stores.takeReady(2))).containsExactly("c");
    assertThat(stores.readyCount()).as("counted until the store is seen empty").isEqualTo(3);
    assertThat(stores.takeReady(2)).isEmpty();
    assertThat(stores.readyCount()).isZero();
    assertThat(stores.anyReady()).isFalse();
  }

  @Test
  void embeddingsAreStoredReplacedAndDeleted() {
    stores.putEmbedding("s/axial/1", DecodeFixtures.embedding("s/axial/1", 8, 8));
    stores.putEmbedding("s/axial/1", DecodeFixtures.embedding("s/axial/1", 16, 8));
    assertThat(stores.embedding("s/axial/1").getImageHeight()).isEqualTo(16);
    stores.deleteEmbedding("s/axial/1");
    assertThat(stores.embedding("s/axial/1")).isNull();
  }

  private static PendingPrompt pending(final String id, final String slice, final long at) {
    return DecodeFixtures.pending(DecodeFixtures.prompt(id, slice, 1, 1, 5, 5), at, 0);
  }

  private static List<String> ids(final List<PendingPrompt> prompts) {
    return prompts.stream().map(p -> p.prompt().getPromptId()).toList();
  }
}
