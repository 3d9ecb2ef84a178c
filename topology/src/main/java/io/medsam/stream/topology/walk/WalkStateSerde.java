package io.medsam.stream.topology.walk;

import io.medsam.stream.avro.Box;
import io.medsam.stream.avro.MaskStatus;
import io.medsam.stream.avro.VolumeMask;
import io.medsam.stream.avro.VolumePrompt;
import io.medsam.stream.avro.serde.AvroCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * State-store serde of {@link WalkState}: a version byte and the cursor fields, then the
 * VolumePrompt and the steps so far (held in a VolumeMask), both in Avro single-object encoding, so
 * the records inside resolve older writer schemas like any topic record.
 */
final class WalkStateSerde implements Serde<WalkState> {

  private static final byte VERSION = 1;

  private final AvroCodec<VolumePrompt> prompts = AvroCodec.of(VolumePrompt.class);
  private final AvroCodec<VolumeMask> steps = AvroCodec.of(VolumeMask.class);

  @Override
  public Serializer<WalkState> serializer() {
    return (topic, s) -> s == null ? null : write(s);
  }

  @Override
  public Deserializer<WalkState> deserializer() {
    return (topic, bytes) -> bytes == null ? null : read(topic, bytes);
  }

  private byte[] write(final WalkState s) {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeLong(s.receivedAtMs());
      out.writeInt(s.sourcePartition());
      out.writeLong(s.sourceOffset());
      out.writeBoolean(s.goingDown());
      out.writeInt(s.z());
      out.writeUTF(s.awaitingPromptId() == null ? "" : s.awaitingPromptId());
      writeBox(out, s.stepBox());
      out.writeUTF(s.stepBoxSource());
      out.writeLong(s.stepSentAtMs());
      out.writeBoolean(s.middleBox() != null);
      if (s.middleBox() != null) {
        writeBox(out, s.middleBox());
      }
      out.writeLong(s.finishedAtMs());
      final byte[] prompt = prompts.encode(s.prompt());
      out.writeInt(prompt.length);
      out.write(prompt);
      out.write(steps.encode(holder(s)));
    } catch (final IOException e) {
      throw new SerializationException("cannot write walk state " + s.storeKey(), e);
    }
    return bytes.toByteArray();
  }

  private static VolumeMask holder(final WalkState s) {
    final VolumePrompt p = s.prompt();
    return VolumeMask.newBuilder()
        .setPromptId(p.getPromptId())
        .setSeriesUid(p.getSeriesUid())
        .setAxis(p.getAxis())
        .setStatus(MaskStatus.OK)
        .setBox(p.getBox())
        .setZ0(p.getZ0())
        .setZ1(p.getZ1())
        .setSteps(s.steps())
        .setProducedAt(Instant.ofEpochMilli(0))
        .build();
  }

  private WalkState read(final String topic, final byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      if (in.readByte() != VERSION) {
        throw new SerializationException("not a walk-state store value (version)");
      }
      final long receivedAt = in.readLong();
      final int partition = in.readInt();
      final long offset = in.readLong();
      final boolean down = in.readBoolean();
      final int z = in.readInt();
      final String awaiting = in.readUTF();
      final Box stepBox = readBox(in);
      final String source = in.readUTF();
      final long sentAt = in.readLong();
      final Box middle = in.readBoolean() ? readBox(in) : null;
      final long finishedAt = in.readLong();
      final byte[] prompt = in.readNBytes(in.readInt());
      final byte[] rest = in.readAllBytes();
      return new WalkState(
          prompts.decode(prompt, topic, partition, offset),
          receivedAt,
          partition,
          offset,
          down,
          z,
          awaiting.isEmpty() ? null : awaiting,
          stepBox,
          source,
          sentAt,
          middle,
          List.copyOf(steps.decode(rest, topic, partition, offset).getSteps()),
          finishedAt);
    } catch (final IOException e) {
      throw new SerializationException("truncated walk-state store value", e);
    }
  }

  private static void writeBox(final DataOutputStream out, final Box b) throws IOException {
    out.writeFloat(b.getX0());
    out.writeFloat(b.getY0());
    out.writeFloat(b.getX1());
    out.writeFloat(b.getY1());
  }

  private static Box readBox(final DataInputStream in) throws IOException {
    return new Box(in.readFloat(), in.readFloat(), in.readFloat(), in.readFloat());
  }
}
