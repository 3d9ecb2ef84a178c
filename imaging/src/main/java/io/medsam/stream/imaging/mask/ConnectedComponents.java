package io.medsam.stream.imaging.mask;

import java.util.ArrayList;
import java.util.List;

/**
 * 8-connected components of a 2D mask (docs/architecture.md §3: one box prompt per component), in
 * the row-major order of each component's first pixel.
 */
public final class ConnectedComponents {

  private ConnectedComponents() {}

  /** The components, each as its own mask of the same size. */
  public static List<BinaryMask> of(final BinaryMask mask) {
    final int h = mask.height();
    final int w = mask.width();
    final boolean[] px = mask.pixels();
    final int[] label = new int[px.length];
    final int[] stack = new int[px.length];
    final List<BinaryMask> out = new ArrayList<>();
    int next = 0;
    for (int seed = 0; seed < px.length; seed++) {
      if (!px[seed] || label[seed] != 0) {
        continue;
      }
      next++;
      final boolean[] comp = new boolean[px.length];
      int top = 0;
      stack[top++] = seed;
      label[seed] = next;
      while (top > 0) {
        final int p = stack[--top];
        comp[p] = true;
        final int r = p / w;
        final int c = p % w;
        for (int dr = -1; dr <= 1; dr++) {
          for (int dc = -1; dc <= 1; dc++) {
            final int rr = r + dr;
            final int cc = c + dc;
            if (rr < 0 || rr >= h || cc < 0 || cc >= w) {
              continue;
            }
            final int q = rr * w + cc;
            if (px[q] && label[q] == 0) {
              label[q] = next;
              stack[top++] = q;
            }
          }
        }
      }
      out.add(new BinaryMask(comp, h, w));
    }
    return out;
  }
}
