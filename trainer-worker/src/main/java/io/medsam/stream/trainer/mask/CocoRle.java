package io.medsam.stream.trainer.mask;

import java.util.ArrayList;
import java.util.List;

/**
 * COCO run-length encoding as pycocotools writes it: runs over the column-major pixel order,
 * alternating background and foreground and starting with background, in the compressed
 * string form (6-bit groups offset by 48; from the third count on, the difference to the
 * count two places earlier).
 */
public final class CocoRle {

  private CocoRle() {}

  /** Encodes a mask into the compressed counts string. */
  public static String encode(final BinaryMask mask) {
    final List<Long> counts = new ArrayList<>();
    boolean current = false;
    long run = 0;
    for (int c = 0; c < mask.width(); c++) {
      for (int r = 0; r < mask.height(); r++) {
        if (mask.get(r, c) != current) {
          counts.add(run);
          run = 0;
          current = !current;
        }
        run++;
      }
    }
    counts.add(run);
    final StringBuilder out = new StringBuilder();
    for (int i = 0; i < counts.size(); i++) {
      long x = counts.get(i);
      if (i > 2) {
        x -= counts.get(i - 2);
      }
      boolean more = true;
      while (more) {
        long chunk = x & 0x1f;
        x >>= 5;
        more = (chunk & 0x10) != 0 ? x != -1 : x != 0;
        if (more) {
          chunk |= 0x20;
        }
        out.append((char) (chunk + 48));
      }
    }
    return out.toString();
  }

  /**
   * Decodes a compressed counts string into a {@code height x width} mask.
   *
   * @throws IllegalArgumentException if the string is malformed or its runs do not cover the
   *     mask exactly
   */
  public static BinaryMask decode(final String counts, final int height, final int width) {
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException("mask size " + height + "x" + width);
    }
    final List<Long> runs = new ArrayList<>();
    int p = 0;
    while (p < counts.length()) {
      long x = 0;
      int k = 0;
      boolean more = true;
      while (more) {
        if (p >= counts.length() || k > 60) {
          throw new IllegalArgumentException("truncated RLE counts");
        }
        final long c = counts.charAt(p) - 48;
        if (c < 0 || c > 63) {
          throw new IllegalArgumentException("bad RLE character at " + p);
        }
        x |= (c & 0x1f) << (5 * k);
        more = (c & 0x20) != 0;
        p++;
        k++;
        if (!more && (c & 0x10) != 0) {
          x |= -1L << (5 * k);
        }
      }
      if (runs.size() > 2) {
        x += runs.get(runs.size() - 2);
      }
      if (x < 0) {
        throw new IllegalArgumentException("negative RLE run");
      }
      runs.add(x);
    }
    final long total = (long) height * width;
    final boolean[] pixels = new boolean[height * width];
    long position = 0;
    boolean value = false;
    for (final long run : runs) {
      if (position + run > total) {
        throw new IllegalArgumentException("RLE runs exceed " + height + "x" + width);
      }
      if (value) {
        for (long i = position; i < position + run; i++) {
          final int col = (int) (i / height);
          final int row = (int) (i % height);
          pixels[row * width + col] = true;
        }
      }
      position += run;
      value = !value;
    }
    if (position != total) {
      throw new IllegalArgumentException("RLE covers " + position + " of " + total + " pixels");
    }
    return new BinaryMask(height, width, pixels);
  }
}
