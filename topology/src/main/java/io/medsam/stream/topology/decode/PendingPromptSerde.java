package io.medsam.stream.topology.decode;

import io.medsam.stream.avro.BoxPrompt;
import io.medsam.stream.avro.serde.AvroCodec;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * State-store serde of {@link PendingPrompt}: a version byte, receivedAt (8 bytes), source
 * partition (4), source offset (8), then the prompt in Avro single-object encoding.
 */
final class PendingPromptSerde implements Serde<PendingPrompt> {

  private static final byte VERSION = 1;
  private static final int HEADER = 1 + 8 + 4 + 8;

  private final AvroCodec<BoxPrompt> codec = AvroCodec.of(BoxPrompt.class);

  @Override
  public Serializer<PendingPrompt> serializer() {
    return (topic, p) -> {
      if (p == null) {
        return null;
      }
      final byte[] prompt = codec.encode(p.prompt());
      return ByteBuffer.allocate(HEADER + prompt.length)
          .put(VERSION)
          .putLong(p.receivedAtMs())
          .putInt(p.sourcePartition())
          .putLong(p.sourceOffset())
          .put(prompt)
          .array();
    };
  }

  @Override
  public Deserializer<PendingPrompt> deserializer() {
    return (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      if (bytes.length < HEADER || bytes[0] != VERSION) {
        throw new SerializationException("not a pending-prompt store value (version/length)");
      }
      final ByteBuffer buf = ByteBuffer.wrap(bytes);
      buf.get();
      final long receivedAt = buf.getLong();
      final int partition = buf.getInt();
      final long offset = buf.getLong();
      final byte[] prompt = new byte[buf.remaining()];
      buf.get(prompt);
      return new PendingPrompt(
          codec.decode(prompt, topic, partition, offset), receivedAt, partition, offset);
    };
  }
}
