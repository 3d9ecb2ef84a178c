package io.medsam.stream.dicom.write;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * A DICOM data set being built, encoded in explicit VR little endian. Elements may be added in any
 * order (they are written in tag order); sequences are written with undefined length. Text is
 * encoded with the character set given at construction (ISO 8859-1 by default, the one the imaging
 * module's parser decodes with), padded to even length with a space (NUL for UI).
 */
public final class DicomElements {
  private static final Set<String> LONG_VRS =
      Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "UC", "UN", "UR", "UT");
  private static final int DS_MAX_CHARS = 16;

  private final TreeMap<Integer, Object> elements = new TreeMap<>(Integer::compareUnsigned);
  private final Charset charset;

  /** An empty data set whose text is ISO 8859-1. */
  public DicomElements() {
    this(StandardCharsets.ISO_8859_1);
  }

  /** An empty data set whose text is encoded with {@code charset}. */
  public DicomElements(final Charset charset) {
    this.charset = charset;
  }

  private record Element(String vr, byte[] value) {}

  /** Text values joined with backslashes; no value (or null) gives an empty (Type 2) element. */
  public DicomElements text(final int tag, final String vr, final String... values) {
    final String joined = values == null ? "" : String.join("\\", nonNull(values));
    byte[] v = joined.getBytes(vr.equals("UI") ? StandardCharsets.US_ASCII : charset);
    if (v.length % 2 == 1) {
      v = java.util.Arrays.copyOf(v, v.length + 1);
      v[v.length - 1] = (byte) (vr.equals("UI") ? 0 : ' ');
    }
    return bytes(tag, vr, v);
  }

  /** Unsigned 16-bit values. */
  public DicomElements us(final int tag, final int... values) {
    final ByteBuffer b = le(2 * values.length);
    for (final int v : values) {
      b.putShort((short) v);
    }
    return bytes(tag, "US", b.array());
  }

  /** Unsigned 32-bit values. */
  public DicomElements ul(final int tag, final long... values) {
    final ByteBuffer b = le(4 * values.length);
    for (final long v : values) {
      b.putInt((int) v);
    }
    return bytes(tag, "UL", b.array());
  }

  /** Attribute tags (AT), each written as group then element. */
  public DicomElements at(final int tag, final int... tags) {
    final ByteBuffer b = le(4 * tags.length);
    for (final int t : tags) {
      b.putShort((short) (t >>> 16)).putShort((short) t);
    }
    return bytes(tag, "AT", b.array());
  }

  /** Decimal strings, each at most 16 characters. */
  public DicomElements ds(final int tag, final double... values) {
    final String[] s = new String[values.length];
    for (int n = 0; n < values.length; n++) {
      s[n] = decimalString(values[n]);
    }
    return text(tag, "DS", s);
  }

  /** An integer string. */
  public DicomElements is(final int tag, final long value) {
    return text(tag, "IS", Long.toString(value));
  }

  /** Raw value bytes (padded to even length with a zero byte). */
  public DicomElements bytes(final int tag, final String vr, final byte[] value) {
    byte[] v = value;
    if (v.length % 2 == 1) {
      v = java.util.Arrays.copyOf(v, v.length + 1);
    }
    elements.put(tag, new Element(vr, v));
    return this;
  }

  /** A sequence of the given items (possibly none). */
  public DicomElements sequence(final int tag, final List<DicomElements> items) {
    elements.put(tag, List.copyOf(items));
    return this;
  }

  /** A sequence of the given items. */
  public DicomElements sequence(final int tag, final DicomElements... items) {
    return sequence(tag, List.of(items));
  }

  /** The data set in explicit VR little endian. */
  public byte[] encode() {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    encodeTo(out);
    return out.toByteArray();
  }

  private void encodeTo(final ByteArrayOutputStream out) {
    for (final var e : elements.entrySet()) {
      final int tag = e.getKey();
      if (e.getValue() instanceof Element el) {
        header(out, tag, el.vr(), el.value().length);
        out.writeBytes(el.value());
      } else {
        @SuppressWarnings("unchecked")
        final List<DicomElements> items = (List<DicomElements>) e.getValue();
        header(out, tag, "SQ", 0xFFFFFFFF);
        for (final DicomElements item : items) {
          tagAndLength(out, 0xFFFEE000, 0xFFFFFFFF);
          item.encodeTo(out);
          tagAndLength(out, 0xFFFEE00D, 0);
        }
        tagAndLength(out, 0xFFFEE0DD, 0);
      }
    }
  }

  private static void header(
      final ByteArrayOutputStream out, final int tag, final String vr, final int length) {
    final ByteBuffer b = le(12);
    b.putShort((short) (tag >>> 16)).putShort((short) tag);
    b.put(vr.getBytes(StandardCharsets.US_ASCII));
    if (LONG_VRS.contains(vr)) {
      b.putShort((short) 0).putInt(length);
    } else {
      if (length > 0xFFFF) {
        throw new IllegalArgumentException(
            "value of " + String.format("(%04X,%04X)", tag >>> 16, tag & 0xFFFF) + " too long");
      }
      b.putShort((short) length);
    }
    out.write(b.array(), 0, b.position());
  }

  private static void tagAndLength(final ByteArrayOutputStream out, final int tag, final int len) {
    out.writeBytes(le(8).putShort((short) (tag >>> 16)).putShort((short) tag).putInt(len).array());
  }

  private static ByteBuffer le(final int n) {
    return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static String[] nonNull(final String[] values) {
    final String[] s = new String[values.length];
    for (int n = 0; n < values.length; n++) {
      s[n] = values[n] == null ? "" : values[n];
    }
    return s;
  }

  /** The shortest rendering of {@code v} with at most 16 characters (DICOM DS). */
  static String decimalString(final double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("DS value must be finite: " + v);
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    for (int digits = 15; digits > 0; digits--) {
      final String s =
          new BigDecimal(v).round(new MathContext(digits)).stripTrailingZeros().toPlainString();
      if (s.length() <= DS_MAX_CHARS) {
        return s;
      }
    }
    for (int digits = 10; digits > 0; digits--) {
      final String s = String.format(java.util.Locale.ROOT, "%." + digits + "E", v);
      if (s.length() <= DS_MAX_CHARS) {
        return s;
      }
    }
    throw new IllegalArgumentException("cannot write " + v + " in 16 characters");
  }
}
