package io.medsam.stream.viewer;

import io.medsam.stream.imaging.Slice2D;
import io.medsam.stream.imaging.preprocess.ModelInput;
import io.medsam.stream.imaging.preprocess.ResizeRule;

/**
 * The slice as the model sees it: the bundle's resize rule to S x S and its min-max to [0, 1]
 * ({@link ModelInput}, docs/architecture.md §3), shown as 8-bit grey (the first of the three
 * identical channels).
 *
 * @param size the model's input size S
 * @param rule the bundle's resize rule
 * @param bundleId the bundle it came from, shown in the page
 */
public record ModelView(int size, ResizeRule rule, String bundleId) {

  /**
   * @param slice a slice as ingested
   * @return S x S grey bytes, row-major
   */
  public byte[] render(final Slice2D slice) {
    final float[] input = ModelInput.build(slice, size, rule);
    final byte[] out = new byte[size * size];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Math.round(Math.max(0f, Math.min(1f, input[i])) * 255f);
    }
    return out;
  }
}
