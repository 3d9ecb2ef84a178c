package io.medsam.stream.avro.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medsam.stream.avro.BoxPrompt;
import io.medsam.stream.avro.ImageSlice;
import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.serde.RecordDecodingException.Problem;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class AvroCodecTest {

  private static final String TOPIC = "medsam.slices.v1";
  private final AvroCodec<ImageSlice> slices = AvroCodec.of(ImageSlice.class);

  @SuppressWarnings("unchecked")
  private static <T extends SpecificRecord> T roundTrip(final T record) {
    final AvroCodec<T> codec = AvroCodec.of((Class<T>) record.getClass());
    return codec.decode(codec.encode(record), "t", 0, 0L);
  }

  @Test
  void everyTopicRecordTypeRoundTrips() {
    for (final SpecificRecord record : SampleRecords.all()) {
      assertThat(roundTrip(record)).as(record.getSchema().getName()).isEqualTo(record);
    }
    assertThat(SampleRecords.all().stream().map(r -> (Object) r.getClass()).toList())
        .containsExactlyInAnyOrderElementsOf(ContractCatalog.TOPIC_RECORD_TYPES);
  }

  @Test
  void payloadIsStandardSingleObjectEncoding() throws Exception {
    final ImageSlice slice = SampleRecords.slice();
    final byte[] payload = slices.encode(slice);
    assertThat(payload[0]).isEqualTo((byte) 0xC3);
    assertThat(payload[1]).isEqualTo((byte) 0x01);
    final long fingerprint =
        ByteBuffer.wrap(payload, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(fingerprint).isEqualTo(ContractCatalog.fingerprint(ImageSlice.getClassSchema()));
    // interoperable with the generated classes' own BinaryMessageEncoder/Decoder
    assertThat(ImageSlice.fromByteBuffer(ByteBuffer.wrap(payload))).isEqualTo(slice);
    final ByteBuffer generated = slice.toByteBuffer();
    final byte[] generatedBytes = new byte[generated.remaining()];
    generated.get(generatedBytes);
    assertThat(generatedBytes).isEqualTo(payload);
  }

  @Test
  void emptyPayload() {
    assertFailure(
        () -> slices.decode(new byte[0], TOPIC, 2, 41L),
        Problem.EMPTY_PAYLOAD,
        "empty payload (0 bytes)");
    assertFailure(() -> slices.decode(null, TOPIC, 2, 41L), Problem.EMPTY_PAYLOAD, "null");
  }

  @Test
  void garbageBytes() {
    final byte[] garbage = new byte[300];
    new Random(7).nextBytes(garbage);
    garbage[0] = 0x42;
    assertFailure(
        () -> slices.decode(garbage, TOPIC, 2, 41L), Problem.BAD_HEADER, "starts with 0x42");
    final byte[] text = "{\"sliceKey\":\"a/axial/1\"}".getBytes();
    assertFailure(
        () -> slices.decode(text, TOPIC, 2, 41L),
        Problem.BAD_HEADER,
        "not Avro single-object encoding");
  }

  @Test
  void payloadShorterThanHeader() {
    final byte[] shortHeader = Arrays.copyOf(slices.encode(SampleRecords.slice()), 6);
    assertFailure(
        () -> slices.decode(shortHeader, TOPIC, 2, 41L),
        Problem.BAD_HEADER,
        "shorter than the 10-byte single-object header");
  }

  @Test
  void truncatedPayload() {
    final byte[] full = slices.encode(SampleRecords.slice());
    final int[] lengths = {AvroCodec.HEADER_LENGTH, 40, full.length / 2, full.length - 1};
    for (final int length : lengths) {
      final byte[] truncated = Arrays.copyOf(full, length);
      assertFailure(
          () -> slices.decode(truncated, TOPIC, 2, 41L),
          Problem.TRUNCATED,
          "ends before the record does");
    }
  }

  @Test
  void trailingBytesAfterACompleteRecord() {
    final byte[] full = slices.encode(SampleRecords.slice());
    final byte[] longer = Arrays.copyOf(full, full.length + 3);
    assertFailure(
        () -> slices.decode(longer, TOPIC, 2, 41L), Problem.TRAILING_BYTES, "3 bytes left over");
  }

  @Test
  void recordOfAnotherTypeIsNamed() {
    final byte[] prompt = AvroCodec.of(BoxPrompt.class).encode(SampleRecords.prompt());
    assertFailure(
        () -> slices.decode(prompt, TOPIC, 2, 41L),
        Problem.WRONG_RECORD_TYPE,
        "the payload is a io.medsam.stream.avro.BoxPrompt");
  }

  @Test
  void unknownFingerprint() {
    final byte[] payload = slices.encode(SampleRecords.slice());
    ByteBuffer.wrap(payload, 2, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(0x0123456789ABCDEFL);
    assertFailure(
        () -> slices.decode(payload, TOPIC, 2, 41L),
        Problem.UNKNOWN_SCHEMA,
        "writer schema 0x0123456789ABCDEF is neither the current nor a historical schema");
  }

  @Test
  void hugeLengthFieldIsRefusedWithoutAllocatingIt() throws Exception {
    // header of ImageSlice, then a sliceKey string claiming 2^31 - 10 bytes
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(Arrays.copyOf(slices.encode(SampleRecords.slice()), AvroCodec.HEADER_LENGTH));
    final BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    encoder.writeLong(Integer.MAX_VALUE - 10L);
    encoder.writeFixed(new byte[] {'a', 'b', 'c'});
    encoder.flush();
    assertFailure(
        () -> slices.decode(out.toByteArray(), TOPIC, 2, 41L),
        Problem.TRUNCATED,
        "string length 2147483637 exceeds the 3 bytes left");
  }

  @Test
  void negativeLengthAndBadEnumIndexAreMalformed() throws Exception {
    final ByteArrayOutputStream negative = new ByteArrayOutputStream();
    negative.write(Arrays.copyOf(slices.encode(SampleRecords.slice()), AvroCodec.HEADER_LENGTH));
    final BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(negative, null);
    encoder.writeLong(-5L);
    encoder.flush();
    assertFailure(
        () -> slices.decode(negative.toByteArray(), TOPIC, 2, 41L),
        Problem.MALFORMED,
        "negative string length -5");

    // MaskResult: promptId, sliceKey, then the MaskStatus enum index (4 symbols)
    final AvroCodec<MaskResult> masks = AvroCodec.of(MaskResult.class);
    final ByteArrayOutputStream badEnum = new ByteArrayOutputStream();
    badEnum.write(Arrays.copyOf(masks.encode(SampleRecords.mask()), AvroCodec.HEADER_LENGTH));
    final BinaryEncoder enumEncoder = EncoderFactory.get().directBinaryEncoder(badEnum, null);
    enumEncoder.writeString("p");
    enumEncoder.writeString("k");
    enumEncoder.writeEnum(9);
    enumEncoder.flush();
    assertThatThrownBy(() -> masks.decode(badEnum.toByteArray(), "medsam.masks.v1", 0, 5L))
        .isInstanceOfSatisfying(
            RecordDecodingException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.MALFORMED))
        .hasMessageContaining("medsam.masks.v1 partition 0 offset 5");
  }

  private static void assertFailure(
      final org.assertj.core.api.ThrowableAssert.ThrowingCallable decode,
      final Problem problem,
      final String detail) {
    assertThatThrownBy(decode)
        .isInstanceOfSatisfying(
            RecordDecodingException.class,
            e -> {
              assertThat(e.problem()).isEqualTo(problem);
              assertThat(e.topic()).isEqualTo(TOPIC);
              assertThat(e.partition()).isEqualTo(2);
              assertThat(e.offset()).isEqualTo(41L);
              assertThat(e.expectedType()).isEqualTo("io.medsam.stream.avro.ImageSlice");
            })
        .isInstanceOf(org.apache.kafka.common.errors.SerializationException.class)
        .hasMessageContaining("Cannot decode io.medsam.stream.avro.ImageSlice")
        .hasMessageContaining("topic medsam.slices.v1 partition 2 offset 41")
        .hasMessageContaining(problem.name())
        .hasMessageContaining(detail);
  }
}
