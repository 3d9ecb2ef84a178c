package io.medsam.stream.imaging.dicom;

import io.medsam.stream.imaging.ImageFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Parses the bytes of a DICOM file into a {@link DicomDataset}: the Part-10 preamble and file meta
 * group (explicit VR little endian), then the data set in the declared transfer syntax. Files
 * without a meta header are read as implicit VR little endian (or explicit, when the first element
 * carries a VR). Sequences of defined and undefined length are skipped.
 */
public final class DicomParser {
  private static final int UNDEFINED = 0xFFFFFFFF;
  private static final Set<String> LONG_VRS =
      Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV");

  private final String source;
  private final ByteBuffer buf;

  private DicomParser(final byte[] bytes, final String source) {
    this.source = source;
    this.buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Parses a whole file.
   *
   * @throws ImageFormatException if it is not DICOM, is truncated or garbled, or uses a transfer
   *     syntax other than implicit/explicit VR little endian (the message names it)
   */
  public static DicomDataset parse(final byte[] bytes, final String source)
      throws ImageFormatException {
    return new DicomParser(bytes, source).parse();
  }

  /** True if the bytes start with a Part-10 preamble and "DICM". */
  public static boolean hasPart10Magic(final byte[] head) {
    return head.length >= 132
        && head[128] == 'D'
        && head[129] == 'I'
        && head[130] == 'C'
        && head[131] == 'M';
  }

  private DicomDataset parse() throws ImageFormatException {
    final byte[] bytes = buf.array();
    final Map<Integer, DicomDataset.Element> elements = new HashMap<>();
    TransferSyntax syntax;
    if (hasPart10Magic(bytes)) {
      buf.position(132);
      syntax = readMetaGroup(elements);
    } else if (bytes.length >= 8 && buf.getShort(0) == 0x0002) {
      buf.position(0);
      syntax = readMetaGroup(elements);
    } else if (bytes.length >= 8 && looksLikeVr(bytes[4], bytes[5])) {
      syntax = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
    } else if (bytes.length >= 8 && (buf.getShort(0) & 0xffff) == 0x0008) {
      syntax = TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
    } else {
      throw new ImageFormatException(
          source,
          "not a DICOM file (no DICM marker after the 128-byte preamble and no data set start)");
    }
    if (!syntax.supported()) {
      throw new ImageFormatException(
          source,
          "unsupported transfer syntax "
              + syntax.describe()
              + ": only uncompressed Implicit VR Little Endian (1.2.840.10008.1.2) and Explicit VR "
              + "Little Endian (1.2.840.10008.1.2.1) are read; decompress the file first");
    }
    while (buf.remaining() > 0) {
      final DicomDataset.Element e = readElement(syntax.explicitVr(), true);
      if (e != null) {
        elements.put(e.tag(), e);
      }
    }
    return new DicomDataset(source, bytes, elements, syntax);
  }

  private TransferSyntax readMetaGroup(final Map<Integer, DicomDataset.Element> elements)
      throws ImageFormatException {
    String uid = null;
    while (buf.remaining() >= 8 && buf.getShort(buf.position()) == 0x0002) {
      final DicomDataset.Element e = readElement(true, true);
      elements.put(e.tag(), e);
      if (e.tag() == DicomTags.TRANSFER_SYNTAX_UID) {
        uid = new String(buf.array(), e.offset(), e.length(), StandardCharsets.US_ASCII);
      }
    }
    if (uid == null) {
      // PS3.10 requires it; the commonest writer bug is omitting it for the default syntax.
      return TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
    }
    return TransferSyntax.of(uid);
  }

  /** Reads one element; returns null for delimiters and skipped sequences' contents. */
  private DicomDataset.Element readElement(final boolean explicit, final boolean topLevel)
      throws ImageFormatException {
    final int start = buf.position();
    need(8, start, "an element header");
    final int tag = (buf.getShort() & 0xffff) << 16 | (buf.getShort() & 0xffff);
    if (tag == DicomTags.ITEM
        || tag == DicomTags.ITEM_DELIMITATION
        || tag == DicomTags.SEQUENCE_DELIMITATION) {
      final int len = buf.getInt();
      if (tag == DicomTags.ITEM && len != UNDEFINED) {
        skip(len, start, tag);
      }
      return null;
    }
    final String vr;
    final int length;
    if (explicit) {
      final byte v0 = buf.get();
      final byte v1 = buf.get();
      if (!looksLikeVr(v0, v1)) {
        throw new ImageFormatException(
            source,
            String.format(
                "garbled data at byte %d: element %s has no valid VR (bytes 0x%02X 0x%02X)",
                start, DicomTags.format(tag), v0 & 0xff, v1 & 0xff));
      }
      vr = new String(new byte[] {v0, v1}, StandardCharsets.US_ASCII);
      if (LONG_VRS.contains(vr)) {
        need(12, start, "element " + DicomTags.format(tag));
        buf.getShort();
        length = buf.getInt();
      } else {
        length = buf.getShort() & 0xffff;
      }
    } else {
      vr = DicomTags.implicitVr(tag);
      length = buf.getInt();
    }
    if (length == UNDEFINED) {
      if (tag == DicomTags.PIXEL_DATA) {
        throw new ImageFormatException(
            source, "encapsulated (compressed) pixel data in an uncompressed transfer syntax");
      }
      // An undefined-length UN holds implicit VR little endian content (PS3.5 6.2.2).
      skipUndefinedSequence(explicit && !"UN".equals(vr), tag);
      return null;
    }
    final int offset = buf.position();
    if (length < 0) {
      throw new ImageFormatException(
          source,
          String.format(
              "garbled data at byte %d: element %s has length %d",
              start, DicomTags.format(tag), length & 0xffffffffL));
    }
    skip(length, start, tag);
    return "SQ".equals(vr) || !topLevel ? null : new DicomDataset.Element(tag, vr, offset, length);
  }

  private void skipUndefinedSequence(final boolean explicit, final int seqTag)
      throws ImageFormatException {
    while (true) {
      final int start = buf.position();
      need(8, start, "the items of sequence " + DicomTags.format(seqTag));
      final int tag = (buf.getShort() & 0xffff) << 16 | (buf.getShort() & 0xffff);
      final int len = buf.getInt();
      if (tag == DicomTags.SEQUENCE_DELIMITATION) {
        return;
      }
      if (tag != DicomTags.ITEM) {
        throw new ImageFormatException(
            source,
            String.format(
                "garbled sequence %s at byte %d: expected an item, found %s",
                DicomTags.format(seqTag), start, DicomTags.format(tag)));
      }
      if (len != UNDEFINED) {
        skip(len, start, seqTag);
        continue;
      }
      while (true) {
        need(4, buf.position(), "an item of sequence " + DicomTags.format(seqTag));
        final int next =
            (buf.getShort(buf.position()) & 0xffff) << 16
                | (buf.getShort(buf.position() + 2) & 0xffff);
        if (next == DicomTags.ITEM_DELIMITATION) {
          need(8, buf.position(), "an item delimiter");
          buf.position(buf.position() + 8);
          break;
        }
        readElement(explicit, false);
      }
    }
  }

  private void skip(final int length, final int start, final int tag) throws ImageFormatException {
    if (length < 0 || length > buf.remaining()) {
      throw new ImageFormatException(
          source,
          "truncated file: element "
              + DicomTags.format(tag)
              + " at byte "
              + start
              + " declares "
              + (length & 0xffffffffL)
              + " bytes but only "
              + buf.remaining()
              + " remain");
    }
    buf.position(buf.position() + length);
  }

  private void need(final int n, final int start, final String what) throws ImageFormatException {
    if (buf.limit() - start < n) {
      throw new ImageFormatException(
          source, "truncated file: " + what + " at byte " + start + " is cut off");
    }
  }

  private static boolean looksLikeVr(final byte a, final byte b) {
    return a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z';
  }
}
