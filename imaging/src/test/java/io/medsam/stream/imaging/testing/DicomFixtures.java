package io.medsam.stream.imaging.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Builds small DICOM files for tests: Part-10 (preamble, DICM, explicit VR LE meta group) or bare
 * data sets, in explicit or implicit VR little endian. Elements must be added in tag order.
 */
public final class DicomFixtures {
  /** Real DICOM files shipped with Debian's python3-pydicom. */
  public static final Path PYDICOM_FILES =
      Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");

  private final boolean explicit;
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();

  private DicomFixtures(final boolean explicit) {
    this.explicit = explicit;
  }

  /** A data set in explicit VR little endian. */
  public static DicomFixtures explicitVr() {
    return new DicomFixtures(true);
  }

  /** A data set in implicit VR little endian. */
  public static DicomFixtures implicitVr() {
    return new DicomFixtures(false);
  }

  /** Adds a text element (padded to even length with a space, or NUL for UI). */
  public DicomFixtures text(final int tag, final String vr, final String value) {
    byte[] v = value.getBytes(StandardCharsets.US_ASCII);
    if (v.length % 2 == 1) {
      v = java.util.Arrays.copyOf(v, v.length + 1);
      v[v.length - 1] = (byte) (vr.equals("UI") ? 0 : ' ');
    }
    return raw(tag, vr, v);
  }

  /** Adds a US element. */
  public DicomFixtures us(final int tag, final int value) {
    return raw(
        tag,
        "US",
        ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) value).array());
  }

  /** Adds 16-bit pixel data. */
  public DicomFixtures pixels16(final short[] values) {
    final ByteBuffer b = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (final short v : values) {
      b.putShort(v);
    }
    return raw(0x7FE00010, "OW", b.array());
  }

  /** Adds an element with raw value bytes. */
  public DicomFixtures raw(final int tag, final String vr, final byte[] value) {
    header(tag, vr, value.length);
    body.writeBytes(value);
    return this;
  }

  /** Adds a sequence of undefined length holding one undefined-length item with one element. */
  public DicomFixtures undefinedLengthSequence(final int tag) {
    header(tag, "SQ", 0xFFFFFFFF);
    item(0xFFFEE000, 0xFFFFFFFF);
    final DicomFixtures inner = new DicomFixtures(explicit).text(0x00081150, "UI", "1.2.3");
    body.writeBytes(inner.body.toByteArray());
    item(0xFFFEE00D, 0);
    item(0xFFFEE0DD, 0);
    return this;
  }

  /** Adds a sequence of defined length holding one defined-length item with one element. */
  public DicomFixtures definedLengthSequence(final int tag) {
    final byte[] content =
        new DicomFixtures(explicit).text(0x00081150, "UI", "1.2.3").body.toByteArray();
    header(tag, "SQ", content.length + 8);
    item(0xFFFEE000, content.length);
    body.writeBytes(content);
    return this;
  }

  private void item(final int tag, final int length) {
    final ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) (tag >>> 16)).putShort((short) tag).putInt(length);
    body.writeBytes(b.array());
  }

  private void header(final int tag, final String vr, final int length) {
    final ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) (tag >>> 16)).putShort((short) tag);
    if (!explicit) {
      b.putInt(length);
    } else if (java.util.Set.of("OB", "OW", "SQ", "UN", "UT").contains(vr)) {
      b.put(vr.getBytes(StandardCharsets.US_ASCII)).putShort((short) 0).putInt(length);
    } else {
      b.put(vr.getBytes(StandardCharsets.US_ASCII)).putShort((short) length);
    }
    body.write(b.array(), 0, b.position());
  }

  /** The bare data set (no preamble or meta header). */
  public byte[] dataSet() {
    return body.toByteArray();
  }

  /** A Part-10 file declaring {@code transferSyntaxUid}. */
  public byte[] part10(final String transferSyntaxUid) {
    final DicomFixtures meta = explicitVr().text(0x00020010, "UI", transferSyntaxUid);
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[128]);
    out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(meta.dataSet());
    out.writeBytes(dataSet());
    return out.toByteArray();
  }
}
