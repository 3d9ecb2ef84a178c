package io.medsam.stream.imaging.dicom;

import io.medsam.stream.imaging.ImageFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;

/**
 * The top-level elements of one parsed DICOM file (sequences are skipped), with typed accessors.
 * Values are views into the file's bytes.
 */
public final class DicomDataset {

  /** One element: tag, VR (from the file, or the dictionary for implicit VR) and value bytes. */
  record Element(int tag, String vr, int offset, int length) {}

  private final String source;
  private final byte[] bytes;
  private final Map<Integer, Element> elements;
  private final TransferSyntax transferSyntax;

  DicomDataset(
      final String source,
      final byte[] bytes,
      final Map<Integer, Element> elements,
      final TransferSyntax transferSyntax) {
    this.source = source;
    this.bytes = bytes;
    this.elements = Collections.unmodifiableMap(elements);
    this.transferSyntax = transferSyntax;
  }

  /** The file or record these elements were read from. */
  public String source() {
    return source;
  }

  /** The transfer syntax of the data set. */
  public TransferSyntax transferSyntax() {
    return transferSyntax;
  }

  /** Whether the element is present (possibly empty). */
  public boolean contains(final int tag) {
    return elements.containsKey(tag);
  }

  /** The element's value as text (trailing spaces/NULs removed), or null when absent. */
  public String string(final int tag) {
    final Element e = elements.get(tag);
    if (e == null) {
      return null;
    }
    return new String(bytes, e.offset(), e.length(), StandardCharsets.ISO_8859_1)
        .replace("\0", "")
        .trim();
  }

  /**
   * The element's decimal-string values (DS/IS, backslash separated), or null when absent/empty.
   */
  public double[] doubles(final int tag) throws ImageFormatException {
    final String s = string(tag);
    if (s == null || s.isEmpty()) {
      return null;
    }
    final String[] parts = s.split("\\\\");
    final double[] out = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        out[i] = Double.parseDouble(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new ImageFormatException(
            source, "attribute " + DicomTags.format(tag) + " holds '" + s + "', not a number", e);
      }
    }
    return out;
  }

  /** The first decimal value, or {@code fallback} when absent or empty. */
  public double number(final int tag, final double fallback) throws ImageFormatException {
    final double[] v = doubles(tag);
    return v == null ? fallback : v[0];
  }

  /**
   * An integer attribute: binary US/SS/UL/SL (as the VR says), or IS text. Returns {@code fallback}
   * when absent or empty.
   */
  public int integer(final int tag, final int fallback) throws ImageFormatException {
    final Element e = elements.get(tag);
    if (e == null || e.length() == 0) {
      return fallback;
    }
    final ByteBuffer b =
        ByteBuffer.wrap(bytes, e.offset(), e.length()).order(ByteOrder.LITTLE_ENDIAN);
    switch (e.vr()) {
      case "US":
        requireLength(e, 2);
        return b.getShort() & 0xffff;
      case "SS":
        requireLength(e, 2);
        return b.getShort();
      case "UL":
      case "SL":
        requireLength(e, 4);
        return b.getInt();
      default:
        final double[] v = doubles(tag);
        return v == null ? fallback : (int) Math.round(v[0]);
    }
  }

  private void requireLength(final Element e, final int n) throws ImageFormatException {
    if (e.length() < n) {
      throw new ImageFormatException(
          source,
          "attribute "
              + DicomTags.format(e.tag())
              + " ("
              + e.vr()
              + ") has "
              + e.length()
              + " bytes, expected "
              + n);
    }
  }

  /** The raw value of an element as a read-only little-endian buffer, or null when absent. */
  public ByteBuffer value(final int tag) {
    final Element e = elements.get(tag);
    if (e == null) {
      return null;
    }
    return ByteBuffer.wrap(bytes, e.offset(), e.length())
        .slice()
        .asReadOnlyBuffer()
        .order(ByteOrder.LITTLE_ENDIAN);
  }
}
