package io.medsam.stream.avro.serde;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * Avro binary decoder over one payload that refuses any length or item count larger than the bytes
 * left, before allocating anything: a corrupted 5-byte length field must not make a worker allocate
 * gigabytes. (Every array item and map entry in this project's schemas takes at least one byte, so
 * a count above the bytes left is always corrupt.)
 */
final class BoundedBinaryDecoder extends Decoder {

  private final ByteArrayInputStream in;
  private final BinaryDecoder binary;

  BoundedBinaryDecoder(final byte[] payload, final int offset, final int length) {
    this.in = new ByteArrayInputStream(payload, offset, length);
    this.binary = DecoderFactory.get().directBinaryDecoder(in, null);
  }

  /** Bytes not consumed yet. */
  int remaining() {
    return in.available();
  }

  private int checkedLength(final long length, final String what) throws IOException {
    if (length < 0) {
      throw new IOException("negative " + what + " " + length);
    }
    if (length > remaining()) {
      throw new EOFException(
          what + " " + length + " exceeds the " + remaining() + " bytes left in the payload");
    }
    return (int) length;
  }

  private byte[] readLengthPrefixed(final String what) throws IOException {
    final byte[] bytes = new byte[checkedLength(binary.readLong(), what)];
    binary.readFixed(bytes, 0, bytes.length);
    return bytes;
  }

  @Override
  public Utf8 readString(final Utf8 old) throws IOException {
    return new Utf8(readLengthPrefixed("string length"));
  }

  @Override
  public String readString() throws IOException {
    return new String(readLengthPrefixed("string length"), StandardCharsets.UTF_8);
  }

  @Override
  public ByteBuffer readBytes(final ByteBuffer old) throws IOException {
    return ByteBuffer.wrap(readLengthPrefixed("bytes length"));
  }

  @Override
  public long readArrayStart() throws IOException {
    return checkedLength(binary.readArrayStart(), "array block count");
  }

  @Override
  public long arrayNext() throws IOException {
    return checkedLength(binary.arrayNext(), "array block count");
  }

  @Override
  public long readMapStart() throws IOException {
    return checkedLength(binary.readMapStart(), "map block count");
  }

  @Override
  public long mapNext() throws IOException {
    return checkedLength(binary.mapNext(), "map block count");
  }

  @Override
  public void readNull() throws IOException {
    binary.readNull();
  }

  @Override
  public boolean readBoolean() throws IOException {
    return binary.readBoolean();
  }

  @Override
  public int readInt() throws IOException {
    return binary.readInt();
  }

  @Override
  public long readLong() throws IOException {
    return binary.readLong();
  }

  @Override
  public float readFloat() throws IOException {
    return binary.readFloat();
  }

  @Override
  public double readDouble() throws IOException {
    return binary.readDouble();
  }

  @Override
  public void skipString() throws IOException {
    readLengthPrefixed("string length");
  }

  @Override
  public void skipBytes() throws IOException {
    readLengthPrefixed("bytes length");
  }

  @Override
  public void readFixed(final byte[] bytes, final int start, final int length) throws IOException {
    checkedLength(length, "fixed size");
    binary.readFixed(bytes, start, length);
  }

  @Override
  public void skipFixed(final int length) throws IOException {
    binary.skipFixed(checkedLength(length, "fixed size"));
  }

  @Override
  public int readEnum() throws IOException {
    return binary.readEnum();
  }

  @Override
  public long skipArray() throws IOException {
    return binary.skipArray();
  }

  @Override
  public long skipMap() throws IOException {
    return binary.skipMap();
  }

  @Override
  public int readIndex() throws IOException {
    return binary.readIndex();
  }
}
