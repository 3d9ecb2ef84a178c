package io.medsam.stream.client;

import io.medsam.stream.avro.Correction;
import io.medsam.stream.imaging.SliceAxis;
import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.imaging.mask.ConnectedComponents;
import io.medsam.stream.imaging.preprocess.PixelBox;
import io.medsam.stream.imaging.preprocess.VolumeSlicer;
import io.medsam.stream.records.Boxes;
import io.medsam.stream.records.Masks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Corrections from a label volume, as a clinician's corrected masks would arrive: on each chosen
 * slice, for each chosen label, one correction per 8-connected component of at least {@code
 * minPixels} pixels, carrying the component's mask and its box. Ids are derived from slice, label
 * and component, so publishing the same volume twice adds no pair.
 */
public final class LabelledSlices {

  /** The paper's smallest target. */
  public static final int MIN_PIXELS = 100;

  private LabelledSlices() {}

  /**
   * @param labels the label volume (same grid as the image)
   * @param seriesUid the image's series id (first part of its sliceKeys)
   * @param axis the slicing axis
   * @param labelIds labels to use; empty means every non-zero label present
   * @param from first slice index (inclusive)
   * @param to last slice index (inclusive; cut to the last slice)
   * @param annotator who the corrections name as their author
   * @param now their creation time
   * @return the corrections, by slice, label and component
   */
  public static List<Correction> corrections(
      final Volume labels,
      final String seriesUid,
      final SliceAxis axis,
      final List<Integer> labelIds,
      final int from,
      final int to,
      final String annotator,
      final Instant now) {
    final int last = Math.min(to, VolumeSlicer.sliceCount(labels, axis) - 1);
    final List<Correction> out = new ArrayList<>();
    for (int index = Math.max(0, from); index <= last; index++) {
      final var geometry = VolumeSlicer.geometry(labels, axis, index);
      final float[] values = VolumeSlicer.values(labels, axis, index);
      for (final int label : labelIds.isEmpty() ? present(labels) : labelIds) {
        final boolean[] px = new boolean[values.length];
        boolean any = false;
        for (int i = 0; i < values.length; i++) {
          px[i] = Math.round(values[i]) == label;
          any |= px[i];
        }
        if (!any) {
          continue;
        }
        final BinaryMask target = new BinaryMask(px, geometry.height(), geometry.width());
        final List<BinaryMask> parts =
            ConnectedComponents.of(target).stream()
                .filter(part -> part.area() >= MIN_PIXELS)
                .toList();
        for (int n = 0; n < parts.size(); n++) {
          final String sliceKey = axis.sliceKey(seriesUid, index);
          out.add(
              correction(
                  sliceKey + "/label-" + label + "/cc-" + n,
                  sliceKey,
                  Integer.toString(label),
                  annotator,
                  parts.get(n),
                  now));
        }
      }
    }
    return out;
  }

  /**
   * @param labels a label volume
   * @return every non-zero label value in it, ascending
   */
  public static List<Integer> present(final Volume labels) {
    final TreeSet<Integer> ids = new TreeSet<>();
    for (final float v : labels.voxels()) {
      if (Math.round(v) != 0) {
        ids.add(Math.round(v));
      }
    }
    return List.copyOf(ids);
  }

  private static Correction correction(
      final String id,
      final String sliceKey,
      final String label,
      final String annotator,
      final BinaryMask mask,
      final Instant now) {
    final PixelBox b = mask.boundingBox().orElseThrow();
    return Correction.newBuilder()
        .setCorrectionId(id)
        .setSliceKey(sliceKey)
        .setLabel(label)
        .setAnnotator(annotator)
        .setMask(Masks.toRleMask(mask))
        .setBox(Boxes.toBox(b))
        .setCreatedAt(now)
        .build();
  }
}
