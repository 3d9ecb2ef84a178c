package io.medsam.stream.dicom.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * An instance in a transfer syntax Orthanc cannot decode (with or without orthanc-gdcm): pydicom's
 * {@code JPEG2000.dcm} with its file meta's TransferSyntaxUID set to MPEG2 Main Profile / Main
 * Level, and new SOP and series instance UIDs (the last digit of each changed), so Orthanc stores
 * it as another series. Orthanc stores it, and an archive transcoding it holds it as stored.
 */
public final class Mpeg2Fixture {

  /** MPEG2 Main Profile / Main Level. */
  public static final String MPEG2 = "1.2.840.10008.1.2.4.100";

  private static final String SOP_INSTANCE = "1.3.6.1.4.1.5962.1.1.8.1.3.20040826185059.5457";
  private static final String SERIES_INSTANCE = "1.3.6.1.4.1.5962.1.3.8.1.20040826185059.5457";
  private static final Set<String> LONG_VRS = Set.of("OB", "OW", "OF", "SQ", "UT", "UN");

  private Mpeg2Fixture() {}

  /**
   * The relabelled Part-10 bytes of {@code jpeg2000} (pydicom's JPEG2000.dcm), also written to
   * {@code dir/mpeg2.dcm}.
   */
  public static byte[] relabelled(final Path jpeg2000, final Path dir) throws IOException {
    final byte[] in = Files.readAllBytes(jpeg2000);
    final ByteBuffer b = ByteBuffer.wrap(in).order(ByteOrder.LITTLE_ENDIAN);
    final ByteArrayOutputStream meta = new ByteArrayOutputStream();
    int pos = 132;
    while (b.getShort(pos) == 0x0002) {
      final int element = b.getShort(pos + 2) & 0xffff;
      final String vr = new String(in, pos + 4, 2, StandardCharsets.US_ASCII);
      final boolean longVr = LONG_VRS.contains(vr);
      final int header = longVr ? 12 : 8;
      final int length = longVr ? b.getInt(pos + 8) : b.getShort(pos + 6) & 0xffff;
      if (element == 0x0010) {
        final byte[] uid = (MPEG2 + "\0").getBytes(StandardCharsets.US_ASCII); // even length
        meta.write(in, pos, 6);
        meta.write(uid.length & 0xff);
        meta.write(uid.length >> 8);
        meta.write(uid);
      } else if (element != 0x0000) {
        meta.write(in, pos, header + length);
      }
      pos += header + length;
    }
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(in, 0, 132);
    final byte[] group = meta.toByteArray();
    out.write(
        ByteBuffer.allocate(12)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putShort((short) 2)
            .putShort((short) 0)
            .put("UL".getBytes(StandardCharsets.US_ASCII))
            .putShort((short) 4)
            .putInt(group.length)
            .array());
    out.write(group);
    out.write(in, pos, in.length - pos);
    final byte[] relabelled =
        replace(
            replace(out.toByteArray(), SOP_INSTANCE, SOP_INSTANCE.replaceAll("7$", "8")),
            SERIES_INSTANCE,
            SERIES_INSTANCE.replaceAll("7$", "8"));
    Files.write(dir.resolve("mpeg2.dcm"), relabelled);
    return relabelled;
  }

  /** Replaces every occurrence of {@code from} by {@code to} (same length). */
  private static byte[] replace(final byte[] bytes, final String from, final String to) {
    final byte[] f = from.getBytes(StandardCharsets.US_ASCII);
    final byte[] t = to.getBytes(StandardCharsets.US_ASCII);
    int found = 0;
    outer:
    for (int i = 0; i + f.length <= bytes.length; i++) {
      for (int j = 0; j < f.length; j++) {
        if (bytes[i + j] != f[j]) {
          continue outer;
        }
      }
      System.arraycopy(t, 0, bytes, i, t.length);
      found++;
    }
    if (found == 0) {
      throw new IllegalStateException(from + " not found: not pydicom's JPEG2000.dcm");
    }
    return bytes;
  }
}
