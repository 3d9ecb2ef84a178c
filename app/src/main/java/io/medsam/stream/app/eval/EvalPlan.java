package io.medsam.stream.app.eval;

import io.medsam.stream.imaging.SliceAxis;
import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.imaging.mask.ConnectedComponents;
import io.medsam.stream.imaging.preprocess.PixelBox;
import io.medsam.stream.imaging.preprocess.SliceGeometry;
import io.medsam.stream.imaging.preprocess.VolumeSlicer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The prompts and the ground truth of one evaluation (docs/architecture.md §3): on each chosen
 * slice, one box per 8-connected component of each target; components under {@value #MIN_COMPONENT}
 * pixels are neither prompted nor scored, so the ground truth of a target on a slice is the union
 * of its prompted components. With jitter, each side of a box moves outwards by a uniform random
 * 0..PX pixels (MedSAM's training perturbation), clamped to the image; the seed fixes the draw.
 *
 * @param labelVolume the ground-truth label volume
 * @param axis the slicing axis
 * @param slices the slice indices evaluated, ascending and contiguous
 * @param labels the targets with at least one prompt, ascending
 * @param prompts every prompt, by slice then label
 */
public record EvalPlan(
    Volume labelVolume,
    SliceAxis axis,
    List<Integer> slices,
    List<Integer> labels,
    List<PlannedPrompt> prompts) {

  /** Smallest component that is prompted and scored, pixels. */
  public static final int MIN_COMPONENT = 100;

  /**
   * @param labelVolume the ground-truth label volume
   * @param axis slicing axis
   * @param from first slice (inclusive)
   * @param to last slice (inclusive)
   * @param labelIds targets; empty: every non-zero label present in the chosen slices
   * @param jitterPixels 0 for tight boxes
   * @param seed seed of the jitter
   * @return the plan
   */
  public static EvalPlan of(
      final Volume labelVolume,
      final SliceAxis axis,
      final int from,
      final int to,
      final List<Integer> labelIds,
      final int jitterPixels,
      final long seed) {
    final int count = VolumeSlicer.sliceCount(labelVolume, axis);
    if (from < 0 || to >= count || from > to) {
      throw new IllegalArgumentException(
          "slices "
              + from
              + "-"
              + to
              + " are outside 0-"
              + (count - 1)
              + " along "
              + axis.wireName());
    }
    final SortedSet<Integer> wanted = new TreeSet<>(labelIds);
    if (wanted.isEmpty()) {
      for (int k = from; k <= to; k++) {
        for (final float v : VolumeSlicer.values(labelVolume, axis, k)) {
          if (v != 0) {
            wanted.add(Math.round(v));
          }
        }
      }
    }
    final Random random = new Random(seed);
    final List<PlannedPrompt> prompts = new ArrayList<>();
    final SortedSet<Integer> prompted = new TreeSet<>();
    final List<Integer> slices = new ArrayList<>();
    for (int k = from; k <= to; k++) {
      slices.add(k);
      final SliceGeometry g = VolumeSlicer.geometry(labelVolume, axis, k);
      final float[] values = VolumeSlicer.values(labelVolume, axis, k);
      for (final int label : wanted) {
        for (final BinaryMask c : components(values, g, label)) {
          prompts.add(
              new PlannedPrompt(
                  label,
                  k,
                  c.area(),
                  jitter(
                      c.boundingBox().orElseThrow(), jitterPixels, g.height(), g.width(), random)));
          prompted.add(label);
        }
      }
    }
    return new EvalPlan(
        labelVolume, axis, List.copyOf(slices), List.copyOf(prompted), List.copyOf(prompts));
  }

  private static List<BinaryMask> components(
      final float[] values, final SliceGeometry g, final int label) {
    return ConnectedComponents.of(BinaryMask.where(values, g.height(), g.width(), label)).stream()
        .filter(c -> c.area() >= MIN_COMPONENT)
        .toList();
  }

  static PixelBox jitter(
      final PixelBox b, final int px, final int h, final int w, final Random random) {
    if (px <= 0) {
      return b;
    }
    return new PixelBox(
        Math.max(0, b.x0() - random.nextInt(px + 1)),
        Math.max(0, b.y0() - random.nextInt(px + 1)),
        Math.min(w - 1, b.x1() + random.nextInt(px + 1)),
        Math.min(h - 1, b.y1() + random.nextInt(px + 1)));
  }

  /**
   * @param label a target
   * @param slice a slice of the plan
   * @return the scored ground truth of {@code label} on {@code slice}: its components of at least
   *     {@value #MIN_COMPONENT} pixels
   */
  public BinaryMask groundTruth(final int label, final int slice) {
    final SliceGeometry g = VolumeSlicer.geometry(labelVolume, axis, slice);
    final boolean[] px = new boolean[g.height() * g.width()];
    for (final BinaryMask c : components(VolumeSlicer.values(labelVolume, axis, slice), g, label)) {
      for (int n = 0; n < px.length; n++) {
        px[n] |= c.pixels()[n];
      }
    }
    return new BinaryMask(px, g.height(), g.width());
  }

  /**
   * @return the number of slices with at least one prompt of {@code label}
   */
  public long promptedSlices(final int label) {
    return prompts.stream()
        .filter(p -> p.label() == label)
        .mapToInt(PlannedPrompt::slice)
        .distinct()
        .count();
  }
}
