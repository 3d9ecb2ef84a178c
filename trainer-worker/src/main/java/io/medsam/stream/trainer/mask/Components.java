package io.medsam.stream.trainer.mask;

import java.util.ArrayList;
import java.util.List;

/** 8-connected components of a binary mask (the paper prompts one box per component). */
public final class Components {

  private Components() {}

  /** Components with at least {@code minPixels} pixels, in raster order of their first pixel. */
  public static List<BinaryMask> of(final BinaryMask mask, final int minPixels) {
    final int h = mask.height();
    final int w = mask.width();
    final int[] label = new int[h * w];
    final int[] stack = new int[h * w];
    final List<BinaryMask> out = new ArrayList<>();
    int next = 0;
    for (int start = 0; start < h * w; start++) {
      if (!mask.pixels()[start] || label[start] != 0) {
        continue;
      }
      next++;
      final List<Integer> members = new ArrayList<>();
      int top = 0;
      stack[top++] = start;
      label[start] = next;
      while (top > 0) {
        final int i = stack[--top];
        members.add(i);
        final int r = i / w;
        final int c = i % w;
        for (int dr = -1; dr <= 1; dr++) {
          for (int dc = -1; dc <= 1; dc++) {
            final int rr = r + dr;
            final int cc = c + dc;
            if (rr < 0 || rr >= h || cc < 0 || cc >= w) {
              continue;
            }
            final int j = rr * w + cc;
            if (mask.pixels()[j] && label[j] == 0) {
              label[j] = next;
              stack[top++] = j;
            }
          }
        }
      }
      if (members.size() >= minPixels) {
        final boolean[] px = new boolean[h * w];
        for (final int i : members) {
          px[i] = true;
        }
        out.add(new BinaryMask(h, w, px));
      }
    }
    return out;
  }
}
