package io.medsam.stream.topology.walk;

import io.medsam.stream.avro.VolumePrompt;
import io.medsam.stream.imaging.preprocess.InvalidBoxException;
import io.medsam.stream.records.Boxes;
import java.util.Optional;
import java.util.Set;

/**
 * Checks of a VolumePrompt that need no image: the key is its series, it has an id, the axis is a
 * volume axis, the z range is not inverted and not negative, and the x/y box has a shape ({@code
 * PixelBox.validateShape}). Whether the box lies inside the slices and whether the series and its
 * slices exist is learnt from the middle slice's step (INVALID_PROMPT or TIMEOUT from the decoder).
 */
final class WalkChecks {

  private static final Set<String> AXES = Set.of("axial", "coronal", "sagittal");

  private WalkChecks() {}

  /**
   * @return why the prompt cannot be walked, or empty
   */
  static Optional<String> problem(final VolumePrompt prompt, final String key) {
    final String name = "volume prompt " + prompt.getPromptId();
    if (key == null || !key.equals(prompt.getSeriesUid())) {
      return Optional.of(
          "record key " + key + " does not match the prompt's seriesUid " + prompt.getSeriesUid());
    }
    if (prompt.getPromptId() == null || prompt.getPromptId().isBlank()) {
      return Optional.of("promptId is empty");
    }
    if (prompt.getSeriesUid().isBlank() || prompt.getSeriesUid().contains("/")) {
      return Optional.of(name + ": seriesUid is empty or contains '/'");
    }
    if (!AXES.contains(prompt.getAxis())) {
      return Optional.of(
          name + ": axis " + prompt.getAxis() + " is not one of axial, coronal, sagittal");
    }
    if (prompt.getZ0() < 0) {
      return Optional.of(name + ": z0 " + prompt.getZ0() + " is below the first slice (0)");
    }
    if (prompt.getZ1() < prompt.getZ0()) {
      return Optional.of(
          name + ": z range is inverted: z1 " + prompt.getZ1() + " < z0 " + prompt.getZ0());
    }
    if (prompt.getBox() == null) {
      return Optional.of(name + ": box is missing");
    }
    try {
      Boxes.toPixelBox(prompt.getBox()).validateShape(name);
      return Optional.empty();
    } catch (final InvalidBoxException e) {
      return Optional.of(e.getMessage());
    }
  }
}
