package io.medsam.stream.imaging.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.imaging.Affine;
import io.medsam.stream.imaging.ScanMetadata;
import io.medsam.stream.imaging.SliceAxis;
import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.imaging.preprocess.VolumeSlicer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Stacking agrees with VolumeSlicer on every axis: get(slice) == values(slice) > 0. */
class SliceStackTest {

  @Test
  void putAndGetFollowTheSlicingConvention() {
    final int nx = 5;
    final int ny = 4;
    final int nz = 3;
    final Random rnd = new Random(3);
    final float[] labels = new float[nx * ny * nz];
    final boolean[] mask = new boolean[labels.length];
    for (int n = 0; n < labels.length; n++) {
      labels[n] = rnd.nextBoolean() ? 1 : 0;
      mask[n] = labels[n] > 0;
    }
    final Volume v =
        new Volume(
            labels,
            nx,
            ny,
            nz,
            1,
            2,
            3,
            Affine.scaling(1, 2, 3),
            new ScanMetadata("OT", "s", "mem", ""));
    final VoxelGrid g = SliceStack.gridOf(v);
    for (final SliceAxis axis :
        new SliceAxis[] {SliceAxis.AXIAL, SliceAxis.CORONAL, SliceAxis.SAGITTAL}) {
      final boolean[] rebuilt = new boolean[mask.length];
      for (int idx = 0; idx < VolumeSlicer.sliceCount(v, axis); idx++) {
        final var geom = VolumeSlicer.geometry(v, axis, idx);
        final BinaryMask fromSlicer =
            BinaryMask.where(VolumeSlicer.values(v, axis, idx), geom.height(), geom.width(), 1f);
        assertThat(SliceStack.get(mask, g, axis, idx)).isEqualTo(fromSlicer);
        SliceStack.put(rebuilt, g, axis, idx, fromSlicer);
      }
      assertThat(rebuilt).as(axis.wireName()).containsExactly(mask);
    }
  }
}
