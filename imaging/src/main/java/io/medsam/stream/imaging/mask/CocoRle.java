package io.medsam.stream.imaging.mask;

import io.medsam.stream.imaging.ImageFormatException;
import java.util.Arrays;

/**
 * COCO run-length encoding as pycocotools writes it: pixels in column-major order (down each
 * column, then the next column), alternating run lengths that start with a run of zeros (0 when the
 * first pixel is set).
 *
 * <p>The compressed string is pycocotools' {@code rleToString}: each count (from the fourth on,
 * minus the count two places earlier) is written as a little-endian sequence of 5-bit groups, one
 * ASCII character (48 + group) each, bit 0x20 marking "more groups follow" and bit 0x10 of the last
 * group carrying the sign.
 *
 * @param height rows
 * @param width columns
 * @param counts run lengths, summing to height*width
 */
public record CocoRle(int height, int width, long[] counts) {

  /** Validates that the runs cover the image exactly. */
  public CocoRle {
    long sum = 0;
    for (final long c : counts) {
      if (c < 0) {
        throw new IllegalArgumentException("negative RLE count " + c);
      }
      sum += c;
    }
    if (height < 0 || width < 0 || sum != (long) height * width) {
      throw new IllegalArgumentException(
          "RLE counts sum to "
              + sum
              + " but the mask is "
              + height
              + "x"
              + width
              + " = "
              + ((long) height * width)
              + " pixels");
    }
    counts = counts.clone();
  }

  /** Encodes a mask. */
  public static CocoRle encode(final BinaryMask mask) {
    final int h = mask.height();
    final int w = mask.width();
    final long[] runs = new long[h * w + 1];
    int m = 0;
    boolean current = false;
    long run = 0;
    for (int c = 0; c < w; c++) {
      for (int r = 0; r < h; r++) {
        final boolean p = mask.pixels()[r * w + c];
        if (p != current) {
          runs[m++] = run;
          run = 0;
          current = p;
        }
        run++;
      }
    }
    runs[m++] = run;
    return new CocoRle(h, w, Arrays.copyOf(runs, m));
  }

  /** Decodes to a mask. */
  public BinaryMask decode() {
    final boolean[] px = new boolean[height * width];
    long pos = 0;
    boolean value = false;
    for (final long run : counts) {
      if (value) {
        for (long n = pos; n < pos + run; n++) {
          final int c = (int) (n / height);
          final int r = (int) (n % height);
          px[r * width + c] = true;
        }
      }
      pos += run;
      value = !value;
    }
    return new BinaryMask(px, height, width);
  }

  /** Foreground pixel count (sum of the odd-indexed runs). */
  public long area() {
    long a = 0;
    for (int i = 1; i < counts.length; i += 2) {
      a += counts[i];
    }
    return a;
  }

  /** The counts (a copy). */
  @Override
  public long[] counts() {
    return counts.clone();
  }

  /** pycocotools' compressed string form. */
  public String toCompressedString() {
    final StringBuilder s = new StringBuilder();
    for (int i = 0; i < counts.length; i++) {
      long x = counts[i];
      if (i > 2) {
        x -= counts[i - 2];
      }
      boolean more = true;
      while (more) {
        long c = x & 0x1f;
        x >>= 5;
        more = (c & 0x10) != 0 ? x != -1 : x != 0;
        if (more) {
          c |= 0x20;
        }
        s.append((char) (c + 48));
      }
    }
    return s.toString();
  }

  /** Parses pycocotools' compressed string for an {@code height x width} mask. */
  public static CocoRle fromCompressedString(final String s, final int height, final int width)
      throws ImageFormatException {
    return fromCompressedString(s, height, width, "COCO RLE string");
  }

  /** As {@link #fromCompressedString(String, int, int)}; {@code source} names the record. */
  public static CocoRle fromCompressedString(
      final String s, final int height, final int width, final String source)
      throws ImageFormatException {
    final long[] out = new long[s.length()];
    int m = 0;
    int p = 0;
    while (p < s.length()) {
      long x = 0;
      int k = 0;
      boolean more = true;
      while (more) {
        if (p >= s.length()) {
          throw new ImageFormatException(source, "RLE string ends inside a count");
        }
        final int c = s.charAt(p) - 48;
        if (c < 0 || c > 63 || k > 12) {
          throw new ImageFormatException(
              source, "invalid RLE character '" + s.charAt(p) + "' at position " + p);
        }
        x |= (long) (c & 0x1f) << (5 * k);
        more = (c & 0x20) != 0;
        p++;
        k++;
        if (!more && (c & 0x10) != 0) {
          x |= -1L << (5 * k);
        }
      }
      if (m > 2) {
        x += out[m - 2];
      }
      out[m++] = x;
    }
    try {
      return new CocoRle(height, width, Arrays.copyOf(out, m));
    } catch (IllegalArgumentException e) {
      throw new ImageFormatException(source, e.getMessage(), e);
    }
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof CocoRle r
        && r.height == height
        && r.width == width
        && Arrays.equals(r.counts, counts);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * height + width) + Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return "CocoRle[" + height + "x" + width + ", " + toCompressedString() + "]";
  }
}
