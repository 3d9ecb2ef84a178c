package io.medsam.stream.topology.decode;

import io.medsam.stream.avro.Box;
import io.medsam.stream.avro.SliceEmbedding;
import java.util.List;
import java.util.Optional;

/**
 * Validation of prompt boxes and embedding records. Boxes are in original pixel coordinates (x =
 * column, y = row); a box lies inside an H x W image when 0 <= x0 < x1 <= W and 0 <= y0 < y1 <= H.
 */
final class BoxChecks {

  private BoxChecks() {}

  /**
   * Checks that need no image size: finite coordinates, x1 >= x0, y1 >= y0, non-zero area.
   *
   * @return the reason the box is invalid, or empty
   */
  static Optional<String> basicProblem(final Box box) {
    if (box == null) {
      return Optional.of("box is missing");
    }
    final float[] c = {box.getX0(), box.getY0(), box.getX1(), box.getY1()};
    final String[] names = {"x0", "y0", "x1", "y1"};
    for (int i = 0; i < c.length; i++) {
      if (Float.isNaN(c[i])) {
        return Optional.of("box " + names[i] + " is NaN");
      }
      if (Float.isInfinite(c[i])) {
        return Optional.of("box " + names[i] + " is infinite");
      }
    }
    if (box.getX1() < box.getX0()) {
      return Optional.of("box x1 < x0 (" + box.getX1() + " < " + box.getX0() + ")");
    }
    if (box.getY1() < box.getY0()) {
      return Optional.of("box y1 < y0 (" + box.getY1() + " < " + box.getY0() + ")");
    }
    if (box.getX1() == box.getX0() || box.getY1() == box.getY0()) {
      return Optional.of("box has zero area (" + describe(box) + ")");
    }
    return Optional.empty();
  }

  /**
   * Checks that the box lies inside an image of the given size.
   *
   * @return the reason the box is invalid, or empty
   */
  static Optional<String> boundsProblem(final Box box, final int height, final int width) {
    if (box.getX0() < 0 || box.getY0() < 0 || box.getX1() > width || box.getY1() > height) {
      return Optional.of(
          "box (" + describe(box) + ") lies outside the " + height + "x" + width + " image (HxW)");
    }
    return Optional.empty();
  }

  /**
   * Consistency of an embedding record that decoded: float16 data whose length matches the shape
   * [C, h, w], and a positive image size.
   *
   * @return the reason the embedding is unusable, or empty
   */
  static Optional<String> embeddingProblem(final SliceEmbedding e) {
    final List<Integer> shape = e.getShape();
    if (shape == null || shape.size() != 3) {
      return Optional.of("embedding shape must be [C, h, w], was " + shape);
    }
    long elements = 1;
    for (final Integer d : shape) {
      if (d == null || d <= 0) {
        return Optional.of("embedding shape has a non-positive dimension: " + shape);
      }
      elements *= d;
    }
    if (!"float16".equals(e.getDtype())) {
      return Optional.of("embedding dtype must be float16, was " + e.getDtype());
    }
    final long bytes = e.getData() == null ? -1 : e.getData().remaining();
    if (bytes != elements * 2) {
      return Optional.of(
          "embedding data has " + bytes + " bytes, shape " + shape + " needs " + elements * 2);
    }
    if (e.getImageHeight() <= 0 || e.getImageWidth() <= 0) {
      return Optional.of(
          "embedding image size must be positive, was "
              + e.getImageHeight()
              + "x"
              + e.getImageWidth());
    }
    return Optional.empty();
  }

  private static String describe(final Box b) {
    return "x0=" + b.getX0() + ", y0=" + b.getY0() + ", x1=" + b.getX1() + ", y1=" + b.getY1();
  }
}
