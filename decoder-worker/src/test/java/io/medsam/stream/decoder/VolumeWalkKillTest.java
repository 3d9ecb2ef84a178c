package io.medsam.stream.decoder;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.avro.Box;
import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.avro.SliceStep;
import io.medsam.stream.avro.VolumeMask;
import io.medsam.stream.avro.VolumePrompt;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.topology.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly once across a walk: a 40-slice walk runs in a decoder worker JVM that is SIGKILLed after
 * its first steps and restarted on the same state directory; a read_committed reader must see one
 * VolumeMask that visits every slice once, and exactly one committed step MaskResult per slice.
 */
class VolumeWalkKillTest {

  private static final Logger LOG = LoggerFactory.getLogger(VolumeWalkKillTest.class);
  private static final int SLICES = 40;
  private static final String SERIES = "walk-series";
  private static final String WALK = "walk-1";
  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir Path tmp;

  @Test
  void aWalkKilledMidwayFinishesWithEverySliceOnce() throws Exception {
    final ModelBundle bundle = ModelBundle.read(TestBundles.tinyBundle());
    final Path logs = Path.of("target");
    Files.createDirectories(logs);
    try (KafkaTestCluster cluster = KafkaTestCluster.start();
        KafkaProducer<String, byte[]> producer = cluster.producer();
        TopicReader steps = new TopicReader(cluster.committedConsumer("walk-steps-reader"));
        KafkaConsumer<String, byte[]> volumeMasks =
            cluster.committedConsumer("walk-volume-masks-reader")) {
      volumeMasks.subscribe(List.of(Topics.VOLUME_MASKS));
      final AvroCodec<SliceEmbedding> embeddings = AvroCodec.of(SliceEmbedding.class);
      for (int z = 0; z < SLICES; z++) {
        final String key = SERIES + "/axial/" + z;
        producer
            .send(
                new ProducerRecord<>(
                    Topics.EMBEDDINGS,
                    key,
                    embeddings.encode(Fixtures.embedding(bundle, key, 64, 72, z))))
            .get(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
      final List<String> args =
          WorkerProcess.arguments(
              cluster.bootstrapServers(), "walk-kill-test", tmp.resolve("state"));
      try (WorkerProcess first = WorkerProcess.start(args, logs.resolve("walk-worker-first.log"))) {
        producer
            .send(new ProducerRecord<>(Topics.VOLUME_PROMPTS, SERIES, volumePrompt()))
            .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(steps.pollUntil(r -> walkSteps(r).size() >= 6, WAIT))
            .as("the walk must get going")
            .isTrue();
        first.kill();
      }
      final int beforeKill = walkSteps(steps).size();
      LOG.info("killed the worker after {} committed walk steps", beforeKill);
      assertThat(beforeKill).as("the worker must die mid-walk").isLessThan(SLICES);

      final List<VolumeMask> answers = new ArrayList<>();
      try (WorkerProcess second =
          WorkerProcess.start(args, logs.resolve("walk-worker-second.log"))) {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (answers.isEmpty() && System.nanoTime() < deadline) {
          read(volumeMasks, answers);
        }
        final long settle = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < settle) { // any second VolumeMask would show up now
          read(volumeMasks, answers);
        }
        steps.pollUntil(r -> false, Duration.ofSeconds(2));
      }

      assertThat(answers).hasSize(1);
      final VolumeMask v = answers.get(0);
      LOG.info("walk answered {} in {} ms", v.getStatus(), v.getWalkMillis());
      assertThat(v.getStatus().toString()).isEqualTo("OK");
      final int middle = (SLICES - 1) / 2;
      final List<Integer> order = new ArrayList<>();
      IntStream.range(middle, SLICES).forEach(order::add);
      IntStream.iterate(middle - 1, z -> z >= 0, z -> z - 1).forEach(order::add);
      assertThat(v.getVisitedSlices()).containsExactlyElementsOf(order);
      assertThat(v.getSteps()).extracting(SliceStep::getIndex).doesNotHaveDuplicates();
      assertThat(v.getTimedOutSlices()).isEmpty();
      assertThat(walkSteps(steps)).hasSize(SLICES);
      assertThat(walkSteps(steps)).extracting(MaskResult::getPromptId).doesNotHaveDuplicates();
      assertThat(steps.deadLetters).isEmpty();
    }
  }

  private static List<MaskResult> walkSteps(final TopicReader r) {
    return r.results.stream().filter(m -> WALK.equals(m.getWalkId())).toList();
  }

  private static void read(
      final KafkaConsumer<String, byte[]> consumer, final List<VolumeMask> to) {
    final AvroCodec<VolumeMask> codec = AvroCodec.of(VolumeMask.class);
    for (final ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
      to.add(codec.decode(r.value(), r.topic(), r.partition(), r.offset()));
    }
  }

  private static byte[] volumePrompt() {
    return AvroCodec.of(VolumePrompt.class)
        .encode(
            VolumePrompt.newBuilder()
                .setPromptId(WALK)
                .setSeriesUid(SERIES)
                .setAxis("axial")
                .setBox(new Box(5f, 6f, 60f, 50f))
                .setZ0(0)
                .setZ1(SLICES - 1)
                .setRequestedAt(Instant.now())
                .build());
  }
}
