package io.medsam.stream.dicom.write;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Wraps a data set into a DICOM Part-10 file: preamble, "DICM", file meta information. */
public final class Part10 {
  /** Explicit VR little endian, the only transfer syntax this module writes. */
  public static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";

  /** This implementation's class UID (a fixed UUID-derived UID under 2.25). */
  public static final String IMPLEMENTATION_CLASS_UID =
      "2.25.310228014951784960141517478248550380197";

  /** This implementation's version name. */
  public static final String IMPLEMENTATION_VERSION_NAME = "MEDSAM_STREAM_01";

  private Part10() {}

  /** The file bytes for {@code dataSet}, whose SOP class and instance UIDs are given. */
  public static byte[] file(
      final DicomElements dataSet, final String sopClassUid, final String sopInstanceUid) {
    final byte[] meta =
        new DicomElements()
            .bytes(0x00020001, "OB", new byte[] {0, 1})
            .text(0x00020002, "UI", sopClassUid)
            .text(0x00020003, "UI", sopInstanceUid)
            .text(0x00020010, "UI", EXPLICIT_VR_LITTLE_ENDIAN)
            .text(0x00020012, "UI", IMPLEMENTATION_CLASS_UID)
            .text(0x00020013, "SH", IMPLEMENTATION_VERSION_NAME)
            .encode();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[128]);
    out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
    final ByteBuffer groupLength = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    groupLength.putShort((short) 0x0002).putShort((short) 0x0000);
    groupLength.put("UL".getBytes(StandardCharsets.US_ASCII)).putShort((short) 4);
    groupLength.putInt(meta.length);
    out.writeBytes(groupLength.array());
    out.writeBytes(meta);
    out.writeBytes(dataSet.encode());
    return out.toByteArray();
  }
}
