package io.medsam.stream.records.weights;

import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.avro.WeightTensor;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The canonical SHA-256 digest of a DecoderWeights record: what publishers sign and decoders
 * verify. It covers, in this order: the name {@value #NAME}; model id; version; parent version;
 * rollbackOf; createdAt (epoch ms); verdict; the gate's held-out DSC before and after; the number
 * of tensors and, for each tensor in record order, its name, dtype, shape and data bytes. Strings
 * are UTF-8 with an int length before them, a nullable value has a presence byte, numbers are
 * big-endian. Not covered (informational, changes nothing that is served): the pair counts, the
 * trainer's settings, the verdict's reason, the per-target figures and the signature itself.
 */
public final class WeightsDigest {

  /** Name and version of this digest, as written in {@code WeightsSignature.digest}. */
  public static final String NAME = "medsam-weights-sha256-v1";

  private WeightsDigest() {}

  /** The 32-byte digest of {@code w} (its signature, if any, is ignored). */
  public static byte[] of(final DecoderWeights w) {
    final MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    try (DataOutputStream out =
        new DataOutputStream(new DigestOutputStream(OutputStream.nullOutputStream(), sha))) {
      string(out, NAME);
      string(out, w.getModelId());
      string(out, w.getVersion());
      nullableString(out, w.getParentVersion());
      nullableString(out, w.getRollbackOf());
      out.writeLong(w.getCreatedAt().toEpochMilli());
      string(out, w.getVerdict().name());
      nullableDouble(out, w.getHoldoutDscBefore());
      nullableDouble(out, w.getHoldoutDscAfter());
      out.writeInt(w.getTensors().size());
      for (final WeightTensor t : w.getTensors()) {
        string(out, t.getName());
        string(out, t.getDtype());
        out.writeInt(t.getShape().size());
        for (final Long d : t.getShape()) {
          out.writeLong(d);
        }
        final ByteBuffer data = t.getData().duplicate();
        out.writeLong(data.remaining());
        final byte[] chunk = new byte[8192];
        while (data.hasRemaining()) {
          final int n = Math.min(chunk.length, data.remaining());
          data.get(chunk, 0, n);
          out.write(chunk, 0, n);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("digest stream failed", e); // a null stream never does
    }
    return sha.digest();
  }

  private static void string(final DataOutputStream out, final String s) throws IOException {
    final byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static void nullableString(final DataOutputStream out, final String s)
      throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      string(out, s);
    }
  }

  private static void nullableDouble(final DataOutputStream out, final Double d)
      throws IOException {
    out.writeBoolean(d != null);
    if (d != null) {
      out.writeLong(Double.doubleToLongBits(d));
    }
  }
}
