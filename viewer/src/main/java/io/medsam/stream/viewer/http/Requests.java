package io.medsam.stream.viewer.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.imaging.preprocess.PixelBox;
import io.medsam.stream.viewer.state.SeriesCatalog;
import io.medsam.stream.viewer.state.StoredSlice;
import java.util.Base64;

/**
 * The checks every request that would publish goes through: the slice was ingested, the box lies on
 * it, the mask has its size. Boxes are inclusive pixel corners {@code [x0, y0, x1, y1]} (x =
 * column), as everywhere in MedSAM Stream.
 */
final class Requests {

  private Requests() {}

  /**
   * @throws ApiException 400 naming the slice when it was never ingested
   */
  static StoredSlice knownSlice(final SeriesCatalog catalog, final String sliceKey)
      throws ApiException {
    return catalog
        .slice(sliceKey)
        .orElseThrow(
            () ->
                new ApiException(
                    400,
                    "unknown slice " + sliceKey + ": it was never ingested; nothing was sent"));
  }

  /**
   * @throws ApiException 400 when the box is malformed, has no area or is not on the slice
   */
  static PixelBox box(final JsonNode body, final StoredSlice slice) throws ApiException {
    final JsonNode b = body.get("box");
    if (b == null || !b.isArray() || b.size() != 4) {
      throw new ApiException(400, "'box' must be [x0, y0, x1, y1] in pixels");
    }
    final double[] v = new double[4];
    for (int i = 0; i < 4; i++) {
      if (!b.get(i).isNumber()) {
        throw new ApiException(400, "'box' must hold four numbers");
      }
      v[i] = b.get(i).asDouble();
    }
    final PixelBox box = new PixelBox(v[0], v[1], v[2], v[3]);
    if (!box.isInsidePixels(slice.height(), slice.width())) {
      throw new ApiException(
          400,
          "box "
              + box
              + " is outside the "
              + slice.width()
              + " x "
              + slice.height()
              + " image (W x H) of "
              + slice.sliceKey()
              + "; nothing was sent");
    }
    if (box.x1() <= box.x0() || box.y1() <= box.y0()) {
      throw new ApiException(400, "box " + box + " has no area; drag to draw a box");
    }
    return box;
  }

  /**
   * @throws ApiException 400 when the mask is missing, not base64, of the wrong size or empty
   */
  static BinaryMask mask(final JsonNode body, final StoredSlice slice) throws ApiException {
    final String text = Exchanges.text(body, "mask");
    final byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "'mask' is not base64: " + e.getMessage());
    }
    final int n = slice.height() * slice.width();
    if (bytes.length != n) {
      throw new ApiException(
          400,
          "the mask has "
              + bytes.length
              + " pixels but "
              + slice.sliceKey()
              + " has "
              + n
              + " ("
              + slice.width()
              + " x "
              + slice.height()
              + ")");
    }
    final boolean[] px = new boolean[n];
    int area = 0;
    for (int i = 0; i < n; i++) {
      if (bytes[i] != 0 && bytes[i] != 1) {
        throw new ApiException(400, "mask pixels must be 0 or 1");
      }
      px[i] = bytes[i] == 1;
      area += bytes[i];
    }
    if (area == 0) {
      throw new ApiException(400, "the mask is empty: paint the structure before submitting");
    }
    return new BinaryMask(px, slice.height(), slice.width());
  }

  /** The mask as the page reads it: one byte (0 or 1) per pixel, row-major, base64. */
  static String encode(final BinaryMask mask) {
    final boolean[] px = mask.pixels();
    final byte[] bytes = new byte[px.length];
    for (int i = 0; i < px.length; i++) {
      bytes[i] = (byte) (px[i] ? 1 : 0);
    }
    return Base64.getEncoder().encodeToString(bytes);
  }
}
