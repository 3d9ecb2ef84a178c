package io.medsam.stream.app.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medsam.stream.imaging.SliceAxis;
import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.imaging.mask.ConnectedComponents;
import io.medsam.stream.imaging.nifti.NiftiReader;
import io.medsam.stream.imaging.preprocess.PixelBox;
import io.medsam.stream.imaging.preprocess.VolumeSlicer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The protocol's prompts on the real AAL atlas. */
class EvalPlanTest {
  private static Volume aal;

  @BeforeAll
  static void read() throws IOException {
    aal = NiftiReader.read(Path.of("/usr/share/mricron/templates/aal.nii.gz"));
  }

  @Test
  void oneTightBoxPerComponentOfAtLeast100Pixels() {
    final EvalPlan plan = EvalPlan.of(aal, SliceAxis.AXIAL, 75, 85, List.of(85, 86), 0, 0);
    assertThat(plan.labels()).containsExactly(85, 86);
    assertThat(plan.slices()).hasSize(11).startsWith(75).endsWith(85);
    for (int k = 75; k <= 85; k++) {
      final float[] v = VolumeSlicer.values(aal, SliceAxis.AXIAL, k);
      for (final int label : List.of(85, 86)) {
        final int slice = k;
        final List<PixelBox> expected =
            ConnectedComponents.of(BinaryMask.where(v, 217, 181, label)).stream()
                .filter(c -> c.area() >= 100)
                .map(c -> c.boundingBox().orElseThrow())
                .toList();
        assertThat(
                plan.prompts().stream()
                    .filter(p -> p.label() == label && p.slice() == slice)
                    .map(PlannedPrompt::box)
                    .toList())
            .as(label + "@" + k)
            .isEqualTo(expected);
        final long gt = plan.groundTruth(label, k).area();
        final long prompted =
            plan.prompts().stream()
                .filter(p -> p.label() == label && p.slice() == slice)
                .mapToLong(PlannedPrompt::componentArea)
                .sum();
        assertThat(gt).isEqualTo(prompted);
      }
    }
    assertThat(plan.prompts()).allSatisfy(p -> assertThat(p.componentArea()).isGreaterThan(99));
  }

  @Test
  void smallComponentsAreNeitherPromptedNorScored() {
    // slice 20 holds only small pieces of the cerebellar labels at the bottom of the brain
    boolean sawSmall = false;
    for (int k = 20; k < 60 && !sawSmall; k++) {
      final float[] v = VolumeSlicer.values(aal, SliceAxis.AXIAL, k);
      for (int label = 1; label <= 116 && !sawSmall; label++) {
        final List<BinaryMask> cs = ConnectedComponents.of(BinaryMask.where(v, 217, 181, label));
        if (cs.stream().anyMatch(c -> c.area() < 100 && c.area() > 0)) {
          final EvalPlan plan = EvalPlan.of(aal, SliceAxis.AXIAL, k, k, List.of(label), 0, 0);
          final long big = cs.stream().filter(c -> c.area() >= 100).count();
          assertThat(plan.prompts()).hasSize((int) big);
          assertThat(plan.groundTruth(label, k).area())
              .isEqualTo(
                  cs.stream().filter(c -> c.area() >= 100).mapToLong(BinaryMask::area).sum());
          sawSmall = true;
        }
      }
    }
    assertThat(sawSmall).isTrue();
  }

  @Test
  void labelsDefaultToThoseInTheChosenSlices() {
    final EvalPlan plan = EvalPlan.of(aal, SliceAxis.AXIAL, 80, 80, List.of(), 0, 0);
    assertThat(plan.labels())
        .contains(77, 85, 86)
        .doesNotContain(0, 1, 2); // precentral starts at 85
  }

  @Test
  void jitterMovesEachSideOutwardsWithinTheLimitAndIsSeeded() {
    final EvalPlan tight = EvalPlan.of(aal, SliceAxis.AXIAL, 80, 82, List.of(85, 77), 0, 0);
    final EvalPlan a = EvalPlan.of(aal, SliceAxis.AXIAL, 80, 82, List.of(85, 77), 5, 42);
    final EvalPlan b = EvalPlan.of(aal, SliceAxis.AXIAL, 80, 82, List.of(85, 77), 5, 42);
    assertThat(a.prompts()).isEqualTo(b.prompts());
    boolean moved = false;
    for (int i = 0; i < tight.prompts().size(); i++) {
      final PixelBox t = tight.prompts().get(i).box();
      final PixelBox j = a.prompts().get(i).box();
      assertThat(t.x0() - j.x0()).isBetween(0.0, 5.0);
      assertThat(t.y0() - j.y0()).isBetween(0.0, 5.0);
      assertThat(j.x1() - t.x1()).isBetween(0.0, 5.0);
      assertThat(j.y1() - t.y1()).isBetween(0.0, 5.0);
      moved |= !t.equals(j);
    }
    assertThat(moved).isTrue();
    assertThat(EvalPlan.jitter(new PixelBox(1, 1, 179, 215), 20, 217, 181, new Random(1)))
        .satisfies(
            box -> {
              assertThat(box.x0()).isGreaterThanOrEqualTo(0);
              assertThat(box.x1()).isLessThanOrEqualTo(180);
              assertThat(box.y1()).isLessThanOrEqualTo(216);
            });
  }

  @Test
  void refusesSlicesOutsideTheVolume() {
    assertThatThrownBy(() -> EvalPlan.of(aal, SliceAxis.AXIAL, 170, 181, List.of(), 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0-180");
  }
}
