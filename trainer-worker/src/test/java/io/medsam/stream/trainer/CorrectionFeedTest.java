package io.medsam.stream.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.avro.Correction;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.client.CorrectionFeed;
import io.medsam.stream.client.LabelledSlices;
import io.medsam.stream.imaging.SliceAxis;
import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.nifti.NiftiReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client's correction feed against this trainer: corrections from the real Brodmann atlas
 * (mricron-data, the client's {@link LabelledSlices}) published through a real broker to a running
 * trainer; the feed waits until the trainer has taken them in and tells accepted from rejected by
 * the trainer's own dead letters.
 */
class CorrectionFeedTest {

  private static final Path BRODMANN = Path.of("/usr/share/mricron/templates/brodmann.nii.gz");

  @RegisterExtension static final InProcessBroker broker = new InProcessBroker();

  @Test
  void theFeedReportsTheTrainersDecisionsOnBrodmannCorrections() throws Exception {
    final Volume labels = NiftiReader.read(BRODMANN);
    final List<Correction> all =
        LabelledSlices.corrections(
            labels, "ch2-test", SliceAxis.AXIAL, List.of(), 90, 91, "test", Instant.now());
    assertThat(all).hasSizeGreaterThan(10);

    // slice 90 has an embedding of the right size; slice 91's says 100 x 100
    broker.sendEmbedding(embedding("ch2-test/axial/90", labels.ny(), labels.nx()));
    broker.sendEmbedding(embedding("ch2-test/axial/91", 100, 100));
    final TrainerConfig config =
        TrainerConfig.defaults(broker.bootstrap(), SyntheticSlices.TOY_BUNDLE)
            .withTrigger(1_000_000, Duration.ofDays(1));
    try (TrainerWorker worker = TrainerWorker.open(config)) {
      worker.start();
      final CorrectionFeed.Report report =
          CorrectionFeed.publishAndWait(
              broker.bootstrap(), all, config.groupId(), Duration.ofSeconds(60));
      final long on91 = all.stream().filter(c -> c.getSliceKey().endsWith("/91")).count();
      assertThat(report.complete()).isTrue();
      assertThat(report.published()).isEqualTo(all.size());
      assertThat(report.rejected()).isEqualTo(on91).isPositive();
      assertThat(report.accepted()).isEqualTo(all.size() - on91);
      assertThat(report.reasons()).allMatch(r -> r.contains("differs from slice size"));
      final Set<String> pairs =
          worker.pairs().snapshot().stream().map(p -> p.correctionId()).collect(Collectors.toSet());
      assertThat(pairs)
          .hasSize((int) (all.size() - on91))
          .allMatch(id -> id.startsWith("ch2-test/axial/90/"));
    }
  }

  private static SliceEmbedding embedding(final String key, final int h, final int w) {
    final SliceEmbedding e = SyntheticSlices.embedding(key);
    e.setImageHeight(h);
    e.setImageWidth(w);
    return e;
  }
}
