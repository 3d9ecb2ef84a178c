package io.medsam.stream.topology.walk;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.avro.Box;
import io.medsam.stream.avro.BoxPrompt;
import io.medsam.stream.avro.DeadLetter;
import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.MaskStatus;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.avro.SliceStep;
import io.medsam.stream.avro.VolumeMask;
import io.medsam.stream.avro.VolumePrompt;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.avro.serde.AvroSerde;
import io.medsam.stream.topology.Topics;
import io.medsam.stream.topology.decode.DecodeTopology;
import io.medsam.stream.topology.decode.DecodeTopologyConfig;
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

/**
 * The walk through the real decode topology in one TopologyTestDriver: walk steps go out on
 * medsam.prompts.v1, are decoded by the decode topology (with a {@link StructureDecoder} that sees
 * a synthetic structure on slices 2..6 of 256 x 256 slices, so the margin is exactly 3 px) and come
 * back on medsam.masks.v1. Every test ends asserting that no output topic holds anything else.
 */
class VolumeWalkTopologyTest {

  private static final String SERIES = "series-3d";
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Duration FLUSH = Duration.ofMillis(5);
  private static final int SIZE = 256;
  private static final Box BOX = new Box(30f, 30f, 110f, 110f);

  private final AvroCodec<VolumePrompt> volumeCodec = AvroCodec.of(VolumePrompt.class);
  private final AvroCodec<SliceEmbedding> embeddingCodec = AvroCodec.of(SliceEmbedding.class);
  private final AvroCodec<BoxPrompt> promptCodec = AvroCodec.of(BoxPrompt.class);

  @TempDir Path stateDir;

  private StructureDecoder decoder;
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> volumePrompts;
  private TestInputTopic<String, byte[]> embeddings;
  private TestInputTopic<String, byte[]> prompts;
  private TestOutputTopic<String, BoxPrompt> stepPrompts;
  private TestOutputTopic<String, MaskResult> masks;
  private TestOutputTopic<String, VolumeMask> volumeMasks;
  private TestOutputTopic<String, DeadLetter> deadLetters;

  @BeforeEach
  void start() {
    decoder = new StructureDecoder();
    decoder.structure.put(2, new int[] {50, 50, 80, 80});
    decoder.structure.put(3, new int[] {45, 45, 90, 90});
    decoder.structure.put(4, new int[] {40, 40, 100, 100});
    decoder.structure.put(5, new int[] {42, 44, 96, 98});
    decoder.structure.put(6, new int[] {60, 60, 70, 70});
    final StreamsBuilder builder = new StreamsBuilder();
    DecodeTopology.build(
        builder,
        new DecodeTopologyConfig(
            decoder,
            TIMEOUT,
            Duration.ofSeconds(1),
            FLUSH,
            4,
            Duration.ofMillis(2),
            Duration.ofMillis(100)));
    VolumeWalkTopology.build(
        builder, new VolumeWalkConfig(Duration.ofHours(1), Duration.ofHours(1)));
    final Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "walk-topology-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(builder.build(), props, START);
    final StringSerializer keys = new StringSerializer();
    volumePrompts = driver.createInputTopic(Topics.VOLUME_PROMPTS, keys, new ByteArraySerializer());
    embeddings = driver.createInputTopic(Topics.EMBEDDINGS, keys, new ByteArraySerializer());
    prompts = driver.createInputTopic(Topics.PROMPTS, keys, new ByteArraySerializer());
    final StringDeserializer strings = new StringDeserializer();
    stepPrompts =
        driver.createOutputTopic(
            Topics.PROMPTS, strings, AvroSerde.of(BoxPrompt.class).deserializer());
    masks =
        driver.createOutputTopic(
            Topics.MASKS, strings, AvroSerde.of(MaskResult.class).deserializer());
    volumeMasks =
        driver.createOutputTopic(
            Topics.VOLUME_MASKS, strings, AvroSerde.of(VolumeMask.class).deserializer());
    deadLetters =
        driver.createOutputTopic(
            Topics.DEAD_LETTERS, strings, AvroSerde.of(DeadLetter.class).deserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void walksFromTheMiddleUpToZ1ThenDownToZ0WithTheNeighboursMaskBox() {
    embedSlices(0, 9);
    volumePrompts.pipeInput(SERIES, volumePrompt("vp-1", SERIES, BOX, 2, 6));
    final VolumeMask v = awaitVolumeMask();

    assertThat(v.getStatus()).isEqualTo(MaskStatus.OK);
    assertThat(v.getVisitedSlices()).containsExactly(4, 5, 6, 3, 2);
    assertThat(v.getTimedOutSlices()).isEmpty();
    assertThat(v.getSteps())
        .extracting(SliceStep::getBoxSource)
        .containsExactly(
            "prompt", "previous-mask", "previous-mask", "previous-mask", "previous-mask");
    // 4: the 3D box; 5 and 6: the box of the slice below plus 3 px; 3: the middle's box again
    assertThat(v.getSteps())
        .extracting(SliceStep::getBox)
        .containsExactly(
            BOX,
            new Box(37f, 37f, 103f, 103f),
            new Box(39f, 41f, 99f, 101f),
            new Box(37f, 37f, 103f, 103f),
            new Box(42f, 42f, 93f, 93f));
    assertThat(v.getSteps())
        .extracting(SliceStep::getArea)
        .containsExactly(61L * 61, 55L * 55, 11L * 11, 46L * 46, 31L * 31);
    assertThat(v.getSteps())
        .allSatisfy(
            s -> {
              assertThat(s.getStatus()).isEqualTo(MaskStatus.OK);
              assertThat(s.getDecoderWeightsVersion()).isEqualTo(StructureDecoder.VERSION);
              assertThat(s.getSliceKey()).isEqualTo(SERIES + "/axial/" + s.getIndex());
            });
    assertThat(decoder.prompted.keySet()).containsExactlyInAnyOrder(2, 3, 4, 5, 6);
    assertThat(decoder.prompted.values()).allSatisfy(boxes -> assertThat(boxes).hasSize(1));

    final List<BoxPrompt> sent = stepPrompts.readValuesToList();
    assertThat(sent).extracting(BoxPrompt::getWalkId).containsOnly("vp-1");
    assertThat(sent)
        .extracting(BoxPrompt::getPromptId)
        .containsExactly("vp-1/4", "vp-1/5", "vp-1/6", "vp-1/3", "vp-1/2");
    final List<MaskResult> steps = masks.readValuesToList();
    assertThat(steps).hasSize(5).extracting(MaskResult::getWalkId).containsOnly("vp-1");
    assertNothingElse();
  }

  @Test
  void anEmptyMaskHandsTheOriginalBoxToTheNextSlice() {
    decoder.structure.remove(5);
    embedSlices(0, 9);
    volumePrompts.pipeInput(SERIES, volumePrompt("vp-1", SERIES, BOX, 2, 6));
    final VolumeMask v = awaitVolumeMask();

    assertThat(v.getStatus()).isEqualTo(MaskStatus.OK);
    assertThat(v.getVisitedSlices()).containsExactly(4, 5, 6, 3, 2);
    final SliceStep five = v.getSteps().get(1);
    assertThat(five.getArea()).isZero();
    final SliceStep six = v.getSteps().get(2);
    assertThat(six.getBoxSource()).isEqualTo("fallback");
    assertThat(six.getBox()).isEqualTo(BOX);
    assertThat(six.getArea()).isEqualTo(11L * 11);
    drain();
    assertNothingElse();
  }

  @Test
  void aMissingEmbeddingTimesOutLikeA2dPromptAndTheWalkGoesOnWithTheOriginalBox() {
    embedSlices(2, 4);
    embedSlices(6, 6); // no embedding for slice 5
    volumePrompts.pipeInput(SERIES, volumePrompt("vp-1", SERIES, BOX, 2, 6));
    flushTimes(20);
    assertThat(volumeMasks.isEmpty()).as("slice 5 is still waiting").isTrue();

    driver.advanceWallClockTime(TIMEOUT.plusSeconds(1));
    final VolumeMask v = awaitVolumeMask();
    assertThat(v.getStatus()).isEqualTo(MaskStatus.OK);
    assertThat(v.getVisitedSlices()).containsExactly(4, 5, 6, 3, 2);
    assertThat(v.getTimedOutSlices()).containsExactly(5);
    assertThat(v.getSteps().get(1).getStatus()).isEqualTo(MaskStatus.TIMEOUT);
    assertThat(v.getSteps().get(1).getReason()).contains(SERIES + "/axial/5");
    assertThat(v.getSteps().get(2).getBoxSource()).isEqualTo("fallback");
    assertThat(v.getSteps().get(2).getBox()).isEqualTo(BOX);
    assertThat(v.getSteps().get(2).getStatus()).isEqualTo(MaskStatus.OK);
    drain();
    assertNothingElse();
  }

  @Test
  void aDuplicateVolumePromptIsWalkedOnce() {
    embedSlices(0, 9);
    final byte[] prompt = volumePrompt("vp-1", SERIES, BOX, 2, 6);
    volumePrompts.pipeInput(SERIES, prompt);
    volumePrompts.pipeInput(SERIES, prompt); // while walking
    final VolumeMask v = awaitVolumeMask();
    volumePrompts.pipeInput(SERIES, prompt); // after the walk
    flushTimes(20);

    assertThat(v.getVisitedSlices()).containsExactly(4, 5, 6, 3, 2);
    assertThat(decoder.prompted.values()).allSatisfy(boxes -> assertThat(boxes).hasSize(1));
    drain();
    assertNothingElse();
  }

  @Test
  void aOneSliceWalkVisitsOnlyThatSlice() {
    embedSlices(0, 9);
    volumePrompts.pipeInput(SERIES, volumePrompt("vp-1", SERIES, BOX, 4, 4));
    final VolumeMask v = awaitVolumeMask();
    assertThat(v.getVisitedSlices()).containsExactly(4);
    drain();
    assertNothingElse();
  }

  static Stream<Arguments> invalidVolumePrompts() {
    return Stream.of(
        Arguments.of("z range inverted", SERIES, "axial", BOX, 6, 2, "z range is inverted"),
        Arguments.of("negative z0", SERIES, "axial", BOX, -1, 2, "below the first slice"),
        Arguments.of("2d axis", SERIES, "2d", BOX, 0, 0, "axis 2d is not one of"),
        Arguments.of("zero area", SERIES, "axial", new Box(5f, 5f, 5f, 9f), 0, 2, "zero area"),
        Arguments.of("inverted box", SERIES, "axial", new Box(9f, 5f, 5f, 9f), 0, 2, "x1 < x0"),
        Arguments.of("key mismatch", "other-series", "axial", BOX, 0, 2, "does not match"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidVolumePrompts")
  void anInvalidVolumePromptIsAnsweredAndDeadLetteredWithTheReason(
      final String name,
      final String series,
      final String axis,
      final Box box,
      final int z0,
      final int z1,
      final String reason) {
    final VolumePrompt p =
        VolumePrompt.newBuilder()
            .setPromptId("bad")
            .setSeriesUid(series)
            .setAxis(axis)
            .setBox(box)
            .setZ0(z0)
            .setZ1(z1)
            .setRequestedAt(START)
            .build();
    volumePrompts.pipeInput(SERIES, volumeCodec.encode(p));

    final VolumeMask v = volumeMasks.readValue();
    assertThat(v.getStatus()).isEqualTo(MaskStatus.INVALID_PROMPT);
    assertThat(v.getReason()).contains(reason);
    assertThat(v.getSteps()).isEmpty();
    final DeadLetter d = deadLetters.readValue();
    assertThat(d.getSourceTopic()).isEqualTo(Topics.VOLUME_PROMPTS);
    assertThat(d.getComponent()).isEqualTo(WalkOutput.COMPONENT);
    assertThat(d.getReason()).contains(reason);
    assertThat(decoder.prompted).isEmpty();
    assertNothingElse();
  }

  @Test
  void aBoxOutsideTheSlicesEndsTheWalkAtTheMiddleSlice() {
    embedSlices(0, 9);
    volumePrompts.pipeInput(
        SERIES, volumePrompt("vp-out", SERIES, new Box(200f, 10f, 300f, 50f), 2, 6));
    final VolumeMask v = awaitVolumeMask();
    assertThat(v.getStatus()).isEqualTo(MaskStatus.INVALID_PROMPT);
    assertThat(v.getReason()).contains("middle slice " + SERIES + "/axial/4").contains("outside");
    assertThat(v.getVisitedSlices()).containsExactly(4);
    assertThat(deadLetters.readValue().getReason()).contains("outside");
    drain();
    assertNothingElse();
  }

  @Test
  void anUnknownSeriesEndsTheWalkWhenTheMiddleSliceTimesOut() {
    volumePrompts.pipeInput("no-such-series", volumePrompt("vp-lost", "no-such-series", BOX, 2, 6));
    flushTimes(5);
    driver.advanceWallClockTime(TIMEOUT.plusSeconds(1));
    final VolumeMask v = awaitVolumeMask();
    assertThat(v.getStatus()).isEqualTo(MaskStatus.TIMEOUT);
    assertThat(v.getReason()).contains("no-such-series/axial/4").contains("unknown series");
    assertThat(v.getTimedOutSlices()).containsExactly(4);
    final DeadLetter d = deadLetters.readValue();
    assertThat(d.getKey()).isEqualTo("no-such-series");
    assertThat(d.getReason()).contains("unknown series");
    drain();
    assertNothingElse();
  }

  @Test
  void aMalformedVolumePromptIsDeadLettered() {
    volumePrompts.pipeInput(SERIES, new byte[] {1, 2, 3});
    final DeadLetter d = deadLetters.readValue();
    assertThat(d.getSourceTopic()).isEqualTo(Topics.VOLUME_PROMPTS);
    assertThat(d.getKey()).isEqualTo(SERIES);
    assertThat(d.getPayload().remaining()).isEqualTo(3);
    assertNothingElse();
  }

  @Test
  void twoDimensionalResultsAreNotWalkSteps() {
    embedSlices(4, 4);
    final String slice = SERIES + "/axial/4";
    final BoxPrompt p =
        BoxPrompt.newBuilder()
            .setPromptId("p2d")
            .setSliceKey(slice)
            .setBox(BOX)
            .setRequestedAt(START)
            .build();
    prompts.pipeInput(slice, promptCodec.encode(p));
    driver.advanceWallClockTime(FLUSH);
    final MaskResult r = masks.readValue();
    assertThat(r.getPromptId()).isEqualTo("p2d");
    assertThat(r.getWalkId()).isNull();
    flushTimes(5);
    assertNothingElse();
  }

  private void embedSlices(final int from, final int to) {
    for (int z = from; z <= to; z++) {
      final String key = SERIES + "/axial/" + z;
      embeddings.pipeInput(key, embeddingCodec.encode(embedding(key)));
    }
  }

  private static SliceEmbedding embedding(final String slice) {
    return SliceEmbedding.newBuilder()
        .setSliceKey(slice)
        .setSeriesUid(SERIES)
        .setEncoderModelId("enc-A")
        .setShape(List.of(2, 2, 2))
        .setDtype("float16")
        .setData(ByteBuffer.wrap(new byte[16]))
        .setImageHeight(SIZE)
        .setImageWidth(SIZE)
        .setPixelSpacingRow(1.0)
        .setPixelSpacingCol(1.0)
        .setEncodeMillis(1.0)
        .setEncodedAt(START)
        .build();
  }

  private byte[] volumePrompt(
      final String id, final String series, final Box box, final int z0, final int z1) {
    return volumeCodec.encode(
        VolumePrompt.newBuilder()
            .setPromptId(id)
            .setSeriesUid(series)
            .setAxis("axial")
            .setBox(box)
            .setZ0(z0)
            .setZ1(z1)
            .setLabel("structure")
            .setRequestedAt(START)
            .build());
  }

  /** Moves the wall clock in flush steps until the walk answers (each step may wait a flush). */
  private VolumeMask awaitVolumeMask() {
    for (int i = 0; i < 100 && volumeMasks.isEmpty(); i++) {
      driver.advanceWallClockTime(FLUSH);
    }
    assertThat(volumeMasks.isEmpty()).as("no VolumeMask after 100 flushes").isFalse();
    return volumeMasks.readValue();
  }

  private void flushTimes(final int n) {
    for (int i = 0; i < n; i++) {
      driver.advanceWallClockTime(FLUSH);
    }
  }

  /** Reads the step prompts and step results a test did not look at. */
  private void drain() {
    stepPrompts.readValuesToList();
    masks.readValuesToList();
  }

  private void assertNothingElse() {
    assertThat(stepPrompts.readValuesToList()).isEmpty();
    assertThat(masks.readValuesToList()).isEmpty();
    assertThat(volumeMasks.readValuesToList()).isEmpty();
    assertThat(deadLetters.readValuesToList()).isEmpty();
  }
}
