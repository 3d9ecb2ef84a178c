package io.medsam.stream.decoder;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.avro.BoxPrompt;
import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.MaskStatus;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.topology.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly once end to end: a burst of 1,000 prompts (embeddings present) is decoded by a worker JVM
 * that is killed with SIGKILL mid-burst and restarted on the same state directory; a read_committed
 * consumer must see exactly 1,000 MaskResults, one per prompt id.
 */
class ExactlyOnceTest {

  private static final Logger LOG = LoggerFactory.getLogger(ExactlyOnceTest.class);
  private static final int PROMPTS = 1000;
  private static final int SLICES = 12;
  private static final String APP_ID = "eos-test";
  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir Path tmp;

  @Test
  void killedAndRestartedWorkerAnswersEveryPromptExactlyOnce() throws Exception {
    final ModelBundle bundle = ModelBundle.read(TestBundles.tinyBundle());
    final Path logs = Path.of("target");
    Files.createDirectories(logs);
    try (KafkaTestCluster cluster = KafkaTestCluster.start();
        KafkaProducer<String, byte[]> producer = cluster.producer();
        TopicReader committed = new TopicReader(cluster.committedConsumer("eos-committed-reader"));
        Admin admin = Admin.create(ClientConfigs.admin(cluster.bootstrapServers()))) {
      final AvroCodec<SliceEmbedding> embeddings = AvroCodec.of(SliceEmbedding.class);
      // Each embedding must be in the log before the worker starts: a send that failed (seen once
      // on a loaded machine) would otherwise surface minutes later as prompts timing out.
      for (int s = 0; s < SLICES; s++) {
        final String key = "eos-series/axial/" + s;
        producer
            .send(
                new ProducerRecord<>(
                    Topics.EMBEDDINGS,
                    key,
                    embeddings.encode(Fixtures.embedding(bundle, key, 64, 72, s))))
            .get(WAIT.toSeconds(), TimeUnit.SECONDS);
      }

      final List<String> args =
          WorkerProcess.arguments(cluster.bootstrapServers(), APP_ID, tmp.resolve("state"));
      final ExecutorService burst = Executors.newSingleThreadExecutor();
      final Future<?> sent;
      try (WorkerProcess first = WorkerProcess.start(args, logs.resolve("eos-worker-first.log"))) {
        awaitStableGroup(admin);
        sent =
            burst.submit(
                () -> {
                  final AvroCodec<BoxPrompt> prompts = AvroCodec.of(BoxPrompt.class);
                  for (int i = 0; i < PROMPTS; i++) {
                    final String key = "eos-series/axial/" + (i % SLICES);
                    producer.send(
                        new ProducerRecord<>(
                            Topics.PROMPTS,
                            key,
                            prompts.encode(
                                Fixtures.prompt(
                                    "prompt-" + i, key, 2 + i % 7, 3, 40 + i % 30, 50))));
                    sleep(3);
                  }
                  producer.flush();
                });
        assertThat(committed.pollUntil(r -> r.results.size() >= 150, WAIT)).isTrue();
        first.kill();
      }
      final int beforeKill = committed.results.size();
      LOG.info("killed the first worker after {} committed results", beforeKill);
      assertThat(beforeKill).as("the worker must die mid-burst").isLessThan(PROMPTS);

      try (WorkerProcess second =
          WorkerProcess.start(args, logs.resolve("eos-worker-second.log"))) {
        sent.get();
        burst.shutdown();
        assertThat(committed.pollUntil(r -> distinct(r).size() >= PROMPTS, WAIT))
            .as("all prompts answered; got %d", distinct(committed).size())
            .isTrue();
        committed.pollUntil(r -> false, Duration.ofSeconds(3)); // any duplicate would show up now
      }

      final List<MaskResult> results = committed.results;
      assertThat(results).hasSize(PROMPTS);
      assertThat(distinct(committed)).hasSize(PROMPTS);
      assertThat(results).allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(MaskStatus.OK));
      assertThat(committed.deadLetters).isEmpty();

      try (TopicReader all =
          new TopicReader(cluster.uncommittedConsumer("eos-uncommitted-reader"))) {
        all.pollUntil(r -> r.results.size() >= PROMPTS, Duration.ofSeconds(30));
        all.pollUntil(r -> false, Duration.ofSeconds(2));
        LOG.info(
            "read_uncommitted sees {} results: {} were in aborted transactions",
            all.results.size(),
            all.results.size() - PROMPTS);
        assertThat(all.results.size()).isGreaterThanOrEqualTo(PROMPTS);
      }
    }
  }

  private static Set<String> distinct(final TopicReader r) {
    return r.results.stream().map(MaskResult::getPromptId).collect(Collectors.toSet());
  }

  private static void awaitStableGroup(final Admin admin) throws Exception {
    final long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        final Map<String, ConsumerGroupDescription> groups =
            admin.describeConsumerGroups(List.of(APP_ID)).all().get();
        final ConsumerGroupDescription g = groups.get(APP_ID);
        if (g != null && g.groupState() == GroupState.STABLE && !g.members().isEmpty()) {
          return;
        }
      } catch (final ExecutionException e) {
        if (!(e.getCause() instanceof GroupIdNotFoundException)) {
          throw e;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("worker group never became stable");
  }

  private static void sleep(final long ms) {
    try {
      Thread.sleep(ms);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
