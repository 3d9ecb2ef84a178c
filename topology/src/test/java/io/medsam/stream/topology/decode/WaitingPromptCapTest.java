package io.medsam.stream.topology.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.avro.BoxPrompt;
import io.medsam.stream.avro.DeadLetter;
import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.MaskStatus;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.avro.serde.AvroSerde;
import io.medsam.stream.topology.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The waiting-prompt store has a cap: with 3 prompts already waiting for embeddings, a fourth is
 * answered ERROR at once with the reason and dead-lettered, and the store stays at 3; prompts whose
 * embedding is there are not affected; once embeddings land (or prompts time out) the store takes
 * prompts again.
 */
class WaitingPromptCapTest {

  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Duration FLUSH = Duration.ofMillis(5);
  private static final int CAP = 3;

  private final AvroCodec<BoxPrompt> promptCodec = AvroCodec.of(BoxPrompt.class);
  private final AvroCodec<SliceEmbedding> embeddingCodec = AvroCodec.of(SliceEmbedding.class);

  @TempDir Path stateDir;

  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> prompts;
  private TestInputTopic<String, byte[]> embeddings;
  private TestOutputTopic<String, MaskResult> masks;
  private TestOutputTopic<String, DeadLetter> deadLetters;

  @BeforeEach
  void start() {
    final StreamsBuilder builder = new StreamsBuilder();
    DecodeTopology.build(
        builder,
        DecodeTopologyConfig.defaults(new BoxEchoDecoder())
            .withPromptTimeout(TIMEOUT, Duration.ofSeconds(1))
            .withBatching(FLUSH, 4, Duration.ofMillis(2))
            .withMaxWaitingPrompts(CAP));
    final Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "waiting-cap-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(builder.build(), props, START);
    prompts =
        driver.createInputTopic(Topics.PROMPTS, new StringSerializer(), new ByteArraySerializer());
    embeddings =
        driver.createInputTopic(
            Topics.EMBEDDINGS, new StringSerializer(), new ByteArraySerializer());
    masks =
        driver.createOutputTopic(
            Topics.MASKS, new StringDeserializer(), AvroSerde.of(MaskResult.class).deserializer());
    deadLetters =
        driver.createOutputTopic(
            Topics.DEAD_LETTERS,
            new StringDeserializer(),
            AvroSerde.of(DeadLetter.class).deserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void aPromptBeyondTheCapIsAnsweredAndDeadLetteredAndTheStoreDoesNotGrow() {
    for (int i = 0; i < CAP; i++) {
      send("wait-" + i, "s/axial/" + i);
    }
    assertThat(masks.isEmpty()).isTrue();
    assertThat(waiting()).isEqualTo(CAP);

    send("over", "s/axial/9");
    final MaskResult refused = masks.readValue();
    assertThat(refused.getPromptId()).isEqualTo("over");
    assertThat(refused.getStatus()).isEqualTo(MaskStatus.ERROR);
    assertThat(refused.getReason())
        .contains("refused", CAP + " prompts already wait", "send it again");
    assertThat(refused.getMask()).isNull();
    final DeadLetter letter = deadLetters.readValue();
    assertThat(letter.getSourceTopic()).isEqualTo(Topics.PROMPTS);
    assertThat(letter.getKey()).isEqualTo("s/axial/9");
    assertThat(letter.getReason()).contains(CAP + " prompts already wait");
    assertThat(letter.getComponent()).isEqualTo("decoder");
    assertThat(waiting()).isEqualTo(CAP);

    // a prompt whose embedding is there does not wait, so the cap does not apply
    embeddings.pipeInput(
        "s/axial/5", embeddingCodec.encode(DecodeFixtures.embedding("s/axial/5", 64, 48)));
    send("ready", "s/axial/5");
    driver.advanceWallClockTime(FLUSH);
    assertThat(masks.readValue().getStatus()).isEqualTo(MaskStatus.OK);

    // an embedding answers the prompt that waited for it, which frees a place
    embeddings.pipeInput(
        "s/axial/0", embeddingCodec.encode(DecodeFixtures.embedding("s/axial/0", 64, 48)));
    driver.advanceWallClockTime(FLUSH);
    final MaskResult answered = masks.readValue();
    assertThat(answered.getPromptId()).isEqualTo("wait-0");
    assertThat(answered.getStatus()).isEqualTo(MaskStatus.OK);
    assertThat(waiting()).isEqualTo(CAP - 1);
    send("again", "s/axial/9");
    assertThat(masks.isEmpty()).isTrue();
    assertThat(waiting()).isEqualTo(CAP);

    // timeouts free the rest
    driver.advanceWallClockTime(TIMEOUT.plusSeconds(1));
    final List<MaskResult> timedOut = masks.readValuesToList();
    assertThat(timedOut).hasSize(CAP).allMatch(r -> r.getStatus() == MaskStatus.TIMEOUT);
    assertThat(waiting()).isZero();
    assertThat(masks.isEmpty()).isTrue();
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  private void send(final String id, final String slice) {
    prompts.pipeInput(slice, promptCodec.encode(DecodeFixtures.prompt(id, slice, 2, 3, 20, 30)));
  }

  private long waiting() {
    final KeyValueStore<String, PendingPrompt> store =
        driver.getKeyValueStore(DecodeTopology.PENDING_STORE);
    return store.approximateNumEntries();
  }
}
