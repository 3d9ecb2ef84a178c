package io.medsam.stream.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.avro.Correction;
import io.medsam.stream.imaging.SliceAxis;
import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.imaging.mask.CocoRle;
import io.medsam.stream.imaging.mask.ConnectedComponents;
import io.medsam.stream.imaging.nifti.NiftiReader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Corrections from the real Brodmann atlas (mricron-data): one per 8-connected component of at
 * least 100 pixels, on the volume's grid, each with its box, ids unique and stable.
 */
class LabelledSlicesTest {

  private static final Path BRODMANN = Path.of("/usr/share/mricron/templates/brodmann.nii.gz");

  @Test
  void brodmannComponentsBecomeCorrectionsWithTheirBoxes() throws Exception {
    final Volume labels = NiftiReader.read(BRODMANN);
    final Instant now = Instant.now();
    final List<Correction> all =
        LabelledSlices.corrections(
            labels, "ch2-test", SliceAxis.AXIAL, List.of(), 90, 91, "test", now);
    assertThat(all).hasSizeGreaterThan(10);
    for (final Correction c : all) {
      final BinaryMask m =
          CocoRle.fromCompressedString(
                  c.getMask().getCounts(), c.getMask().getHeight(), c.getMask().getWidth())
              .decode();
      assertThat(m.height()).isEqualTo(labels.ny());
      assertThat(m.width()).isEqualTo(labels.nx());
      assertThat(m.area()).isGreaterThanOrEqualTo(LabelledSlices.MIN_PIXELS);
      assertThat(ConnectedComponents.of(m)).hasSize(1);
      assertThat(c.getBox().getX0()).isEqualTo((float) m.boundingBox().orElseThrow().x0());
      assertThat(c.getBox().getY1()).isEqualTo((float) m.boundingBox().orElseThrow().y1());
      assertThat(c.getSliceKey()).matches("ch2-test/axial/9[01]");
      assertThat(c.getCorrectionId()).startsWith(c.getSliceKey() + "/label-" + c.getLabel());
    }
    assertThat(all.stream().map(Correction::getCorrectionId).distinct()).hasSize(all.size());
    assertThat(
            LabelledSlices.corrections(
                    labels, "ch2-test", SliceAxis.AXIAL, List.of(), 90, 91, "test", now)
                .stream()
                .map(Correction::getCorrectionId))
        .as("the same volume gives the same ids")
        .containsExactlyElementsOf(all.stream().map(Correction::getCorrectionId).toList());
  }
}
