package io.medsam.stream.topology.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.avro.Box;
import io.medsam.stream.avro.BoxPrompt;
import io.medsam.stream.avro.DeadLetter;
import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.MaskStatus;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.avro.serde.AvroSerde;
import io.medsam.stream.topology.Topics;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DecodeTopologyTest {

  private static final String SLICE = "series-1/axial/7";
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Duration FLUSH = Duration.ofMillis(5);
  private static final int MAX_BATCH = 4;
  private static final Duration BURST_GAP = Duration.ofMillis(2);
  private static final Duration BACKLOG_AGE = Duration.ofMillis(100);

  private final AvroCodec<BoxPrompt> promptCodec = AvroCodec.of(BoxPrompt.class);
  private final AvroCodec<SliceEmbedding> embeddingCodec = AvroCodec.of(SliceEmbedding.class);

  @TempDir Path stateDir;

  private BoxEchoDecoder decoder;
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> prompts;
  private TestInputTopic<String, byte[]> embeddings;
  private TestOutputTopic<String, MaskResult> masks;
  private TestOutputTopic<String, DeadLetter> deadLetters;

  @BeforeEach
  void start() {
    decoder = new BoxEchoDecoder();
    final StreamsBuilder builder = new StreamsBuilder();
    DecodeTopology.build(
        builder,
        new DecodeTopologyConfig(
            decoder, TIMEOUT, Duration.ofSeconds(1), FLUSH, MAX_BATCH, BURST_GAP, BACKLOG_AGE));
    final Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "decode-topology-test");
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
  void embeddingFirstThenPrompt() {
    embeddings.pipeInput(SLICE, embedding(SLICE, "enc-A", 64, 48));
    prompts.pipeInput(SLICE, prompt("p1", SLICE, 2, 3, 20, 30));
    driver.advanceWallClockTime(FLUSH);

    final MaskResult r = masks.readValue();
    assertThat(r.getPromptId()).isEqualTo("p1");
    assertThat(r.getStatus()).isEqualTo(MaskStatus.OK);
    assertThat(r.getEncoderModelId()).isEqualTo("enc-A");
    assertThat(r.getDecoderWeightsVersion()).isEqualTo(BoxEchoDecoder.VERSION);
    assertThat(r.getBbox()).containsExactly(2f, 3f, 18f, 27f);
    assertThat(r.getProducedAt()).isAfterOrEqualTo(START);
    assertNothingElse();
  }

  @Test
  void promptFirstIsAnsweredWhenTheEmbeddingLands() {
    prompts.pipeInput(SLICE, prompt("p1", SLICE, 2, 3, 20, 30));
    driver.advanceWallClockTime(Duration.ofSeconds(2));
    assertThat(masks.isEmpty()).isTrue();

    embeddings.pipeInput(SLICE, embedding(SLICE, "enc-A", 64, 48));
    driver.advanceWallClockTime(FLUSH);

    final MaskResult r = masks.readValue();
    assertThat(r.getPromptId()).isEqualTo("p1");
    assertThat(r.getStatus()).isEqualTo(MaskStatus.OK);
    assertThat(r.getEncoderModelId()).isEqualTo("enc-A");
    driver.advanceWallClockTime(TIMEOUT.multipliedBy(2)); // no late TIMEOUT for an answered prompt
    assertNothingElse();
  }

  @Test
  void reEncodedEmbeddingReplacesTheOldOne() {
    embeddings.pipeInput(SLICE, embedding(SLICE, "enc-A", 32, 32));
    embeddings.pipeInput(SLICE, embedding(SLICE, "enc-B", 64, 64));
    // inside the 64 x 64 re-encode, outside the first 32 x 32 embedding
    prompts.pipeInput(SLICE, prompt("p1", SLICE, 10, 10, 50, 60));
    driver.advanceWallClockTime(FLUSH);

    final MaskResult r = masks.readValue();
    assertThat(r.getStatus()).isEqualTo(MaskStatus.OK);
    assertThat(r.getEncoderModelId()).isEqualTo("enc-B");
    assertNothingElse();
  }

  @Test
  void unknownSliceTimesOut() {
    prompts.pipeInput("series-9/axial/1", prompt("lost", "series-9/axial/1", 1, 1, 5, 5));
    driver.advanceWallClockTime(TIMEOUT.minusSeconds(2));
    assertThat(masks.isEmpty()).isTrue();

    driver.advanceWallClockTime(Duration.ofSeconds(3));
    final MaskResult r = masks.readValue();
    assertThat(r.getPromptId()).isEqualTo("lost");
    assertThat(r.getStatus()).isEqualTo(MaskStatus.TIMEOUT);
    assertThat(r.getReason()).contains("series-9/axial/1");
    assertThat(r.getMask()).isNull();

    // an embedding that lands later finds no waiting prompt: nothing more is answered
    embeddings.pipeInput("series-9/axial/1", embedding("series-9/axial/1", "enc-A", 8, 8));
    driver.advanceWallClockTime(FLUSH);
    assertNothingElse();
  }

  static Stream<Arguments> invalidBoxes() {
    final float nan = Float.NaN;
    return Stream.of(
        Arguments.of("NaN", new float[] {nan, 1, 5, 5}, "NaN"),
        Arguments.of("x1 < x0", new float[] {10, 1, 5, 5}, "x1 < x0"),
        Arguments.of("y1 < y0", new float[] {1, 10, 5, 5}, "y1 < y0"),
        Arguments.of("zero width", new float[] {4, 1, 4, 5}, "zero area"),
        Arguments.of("zero height", new float[] {1, 4, 5, 4}, "zero area"),
        Arguments.of("right of the image", new float[] {10, 10, 49, 20}, "outside"),
        Arguments.of("below the image", new float[] {10, 10, 20, 65}, "outside"),
        Arguments.of("negative corner", new float[] {-1, 10, 20, 20}, "outside"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidBoxes")
  void invalidBoxIsAnsweredWithTheReason(
      final String name, final float[] box, final String reason) {
    embeddings.pipeInput(SLICE, embedding(SLICE, "enc-A", 64, 48)); // H = 64, W = 48
    prompts.pipeInput(SLICE, prompt("bad", SLICE, box[0], box[1], box[2], box[3]));
    driver.advanceWallClockTime(FLUSH);

    final MaskResult r = masks.readValue();
    assertThat(r.getPromptId()).isEqualTo("bad");
    assertThat(r.getStatus()).isEqualTo(MaskStatus.INVALID_PROMPT);
    assertThat(r.getReason()).contains(reason);
    assertThat(decoder.batchSizes).isEmpty();
    assertNothingElse();
  }

  @Test
  void basicBoxChecksAnswerAtOnceWithoutAnEmbedding() {
    prompts.pipeInput(SLICE, prompt("bad", SLICE, 1, 1, 1, 9));
    final MaskResult r = masks.readValue();
    assertThat(r.getStatus()).isEqualTo(MaskStatus.INVALID_PROMPT);
    assertThat(r.getReason()).contains("zero area");
    assertNothingElse();
  }

  @Test
  void boxOutsideTheImageIsAnsweredWhenThePairForms() {
    prompts.pipeInput(SLICE, prompt("big", SLICE, 0, 0, 100, 100));
    assertThat(masks.isEmpty()).isTrue();
    embeddings.pipeInput(SLICE, embedding(SLICE, "enc-A", 64, 48));
    final MaskResult r = masks.readValue();
    assertThat(r.getStatus()).isEqualTo(MaskStatus.INVALID_PROMPT);
    assertThat(r.getReason()).contains("outside the 64x48 image");
    assertNothingElse();
  }

  @Test
  void undecodablePromptGoesToTheDeadLetterTopic() {
    final byte[] garbage = {1, 2, 3, 4, 5};
    prompts.pipeInput(SLICE, prompt("ok-before", SLICE, 1, 1, 5, 5)); // offset 0
    prompts.pipeInput(SLICE, garbage); // offset 1
    embeddings.pipeInput(SLICE, embedding(SLICE, "enc-A", 64, 48));
    driver.advanceWallClockTime(FLUSH);

    final DeadLetter d = deadLetters.readValue();
    assertThat(d.getSourceTopic()).isEqualTo(Topics.PROMPTS);
    assertThat(d.getSourcePartition()).isEqualTo(0);
    assertThat(d.getSourceOffset()).isEqualTo(1L);
    assertThat(d.getKey()).isEqualTo(SLICE);
    assertThat(d.getComponent()).isEqualTo("decoder");
    assertThat(d.getReason()).isNotBlank();
    assertThat(bytes(d.getPayload())).isEqualTo(garbage);
    assertThat(masks.readValue().getPromptId()).isEqualTo("ok-before"); // the stream goes on
    assertNothingElse();
  }

  @Test
  void undecodableOrInconsistentEmbeddingGoesToTheDeadLetterTopic() {
    embeddings.pipeInput(SLICE, new byte[] {9, 9, 9});
    final SliceEmbedding shortData =
        SliceEmbedding.newBuilder(embeddingRecord(SLICE, "enc-A", 8, 8))
            .setData(ByteBuffer.wrap(new byte[10]))
            .build();
    embeddings.pipeInput(SLICE, embeddingCodec.encode(shortData));

    final List<DeadLetter> letters = deadLetters.readValuesToList();
    assertThat(letters).hasSize(2);
    assertThat(letters)
        .allSatisfy(d -> assertThat(d.getSourceTopic()).isEqualTo(Topics.EMBEDDINGS));
    assertThat(letters.get(0).getSourceOffset()).isEqualTo(0L);
    assertThat(letters.get(1).getSourceOffset()).isEqualTo(1L);
    assertThat(letters.get(1).getReason()).contains("bytes");

    // neither was stored: a prompt still waits
    prompts.pipeInput(SLICE, prompt("p1", SLICE, 1, 1, 5, 5));
    driver.advanceWallClockTime(FLUSH);
    assertNothingElse();
  }

  @Test
  void promptsReadyTogetherAreDecodedAsOneBatch() {
    for (int i = 0; i < 3; i++) {
      prompts.pipeInput(SLICE, prompt("p" + i, SLICE, 1, 1, 5 + i, 5));
    }
    embeddings.pipeInput(SLICE, embedding(SLICE, "enc-A", 64, 48));
    driver.advanceWallClockTime(FLUSH);
    assertThat(decoder.batchSizes).containsExactly(3);
    assertThat(masks.readValuesToList())
        .extracting(MaskResult::getPromptId)
        .containsExactlyInAnyOrder("p0", "p1", "p2");

    // a full batch is decoded at once, without waiting for the punctuation
    for (int i = 0; i < MAX_BATCH; i++) {
      prompts.pipeInput(SLICE, prompt("q" + i, SLICE, 1, 1, 5 + i, 5));
    }
    assertThat(decoder.batchSizes).containsExactly(3, MAX_BATCH);
    assertThat(masks.readValuesToList()).hasSize(MAX_BATCH);
    assertNothingElse();
  }

  @Test
  void lonePromptIsDecodedAtOnceWhileABurstWaitsForItsBatch() {
    embeddings.pipeInput(SLICE, embedding(SLICE, "enc-A", 64, 48));
    final Instant t = START.plusSeconds(100);
    prompts.pipeInput(SLICE, prompt("lone-1", SLICE, 1, 1, 5, 5), t);
    prompts.pipeInput(SLICE, prompt("lone-2", SLICE, 1, 1, 5, 5), t.plusSeconds(10));
    assertThat(decoder.batchSizes).containsExactly(1, 1); // no wall-clock time has passed
    assertThat(masks.readValuesToList())
        .extracting(MaskResult::getPromptId)
        .containsExactly("lone-1", "lone-2");

    // a burst: 1 ms apart; the first one of it is still lone, the next two wait for the flush
    final Instant b = t.plusSeconds(20);
    for (int i = 0; i < 3; i++) {
      prompts.pipeInput(SLICE, prompt("burst-" + i, SLICE, 1, 1, 5, 5), b.plusMillis(i));
    }
    assertThat(decoder.batchSizes).containsExactly(1, 1, 1);
    driver.advanceWallClockTime(FLUSH);
    assertThat(decoder.batchSizes).containsExactly(1, 1, 1, 2);
    assertThat(masks.readValuesToList()).hasSize(3);

    // a backlog: prompts sent seconds apart but processed long after (wall clock now is START):
    // they wait for the flush together
    final Instant old = START.minusSeconds(60);
    prompts.pipeInput(SLICE, prompt("late-1", SLICE, 1, 1, 5, 5), old);
    prompts.pipeInput(SLICE, prompt("late-2", SLICE, 1, 1, 5, 5), old.plusSeconds(5));
    assertThat(decoder.batchSizes).hasSize(4);
    driver.advanceWallClockTime(FLUSH);
    assertThat(decoder.batchSizes).containsExactly(1, 1, 1, 2, 2);
    assertThat(masks.readValuesToList()).hasSize(2);
    assertNothingElse();
  }

  @Test
  void decoderFailureGivesErrorAndDeadLetterAndSparesTheRestOfTheBatch() {
    embeddings.pipeInput(SLICE, embedding(SLICE, "enc-A", 64, 48));
    prompts.pipeInput(SLICE, prompt("a", SLICE, 1, 1, 5, 5));
    final BoxPrompt boom = promptRecord("boom", SLICE, 1, 1, 6, 6);
    boom.setLabel(BoxEchoDecoder.EXPLODE);
    prompts.pipeInput(SLICE, promptCodec.encode(boom));
    prompts.pipeInput(SLICE, prompt("c", SLICE, 1, 1, 7, 7));
    driver.advanceWallClockTime(FLUSH);

    final List<MaskResult> results = masks.readValuesToList();
    assertThat(results)
        .extracting(MaskResult::getPromptId)
        .containsExactlyInAnyOrder("a", "boom", "c");
    final MaskResult failed =
        results.stream().filter(r -> r.getPromptId().equals("boom")).findFirst().orElseThrow();
    assertThat(failed.getStatus()).isEqualTo(MaskStatus.ERROR);
    assertThat(failed.getReason()).contains("exploded");
    assertThat(results)
        .filteredOn(r -> !r.getPromptId().equals("boom"))
        .allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(MaskStatus.OK));
    final DeadLetter d = deadLetters.readValue();
    assertThat(d.getSourceTopic()).isEqualTo(Topics.PROMPTS);
    assertThat(d.getSourceOffset()).isEqualTo(1L);
    assertThat(d.getReason()).contains("exploded");
    assertThat(promptCodec.decode(bytes(d.getPayload()), Topics.PROMPTS, 0, 1).getPromptId())
        .isEqualTo("boom");
    assertNothingElse();
  }

  private void assertNothingElse() {
    assertThat(masks.readValuesToList()).as("unexpected mask results").isEmpty();
    assertThat(deadLetters.readValuesToList()).as("unexpected dead letters").isEmpty();
  }

  private byte[] prompt(
      final String id,
      final String slice,
      final float x0,
      final float y0,
      final float x1,
      final float y1) {
    return promptCodec.encode(promptRecord(id, slice, x0, y0, x1, y1));
  }

  private static BoxPrompt promptRecord(
      final String id,
      final String slice,
      final float x0,
      final float y0,
      final float x1,
      final float y1) {
    return BoxPrompt.newBuilder()
        .setPromptId(id)
        .setSliceKey(slice)
        .setBox(new Box(x0, y0, x1, y1))
        .setRequestedAt(START)
        .build();
  }

  private byte[] embedding(
      final String slice, final String encoder, final int height, final int width) {
    return embeddingCodec.encode(embeddingRecord(slice, encoder, height, width));
  }

  private static SliceEmbedding embeddingRecord(
      final String slice, final String encoder, final int height, final int width) {
    return SliceEmbedding.newBuilder()
        .setSliceKey(slice)
        .setSeriesUid(slice.substring(0, slice.indexOf('/')))
        .setEncoderModelId(encoder)
        .setShape(List.of(2, 2, 2))
        .setDtype("float16")
        .setData(ByteBuffer.wrap(new byte[2 * 2 * 2 * 2]))
        .setImageHeight(height)
        .setImageWidth(width)
        .setPixelSpacingRow(1.0)
        .setPixelSpacingCol(1.0)
        .setEncodeMillis(1.0)
        .setEncodedAt(START)
        .build();
  }

  private static byte[] bytes(final ByteBuffer b) {
    final byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }
}
