package io.medsam.stream.topology.walk;

import io.medsam.stream.avro.Box;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.topology.decode.DecodeRequest;
import io.medsam.stream.topology.decode.MaskDecoder;
import io.medsam.stream.topology.decode.MaskOutcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A deterministic test decoder (the topology module has no ML runtime) that "sees" a synthetic 3D
 * structure: on slice z the mask is the part of the prompt's box (inclusive pixel corners) that
 * lies in the structure's rectangle on z; a slice without a rectangle gives an empty mask. So a
 * step's mask shows which box the walker prompted it with.
 */
final class StructureDecoder implements MaskDecoder {

  static final String VERSION = "structure-weights-1";

  /** Rectangle {x0, y0, x1, y1} (inclusive) of the structure on each slice index. */
  final Map<Integer, int[]> structure = new HashMap<>();

  /** Every box decoded, per slice index, in order. */
  final Map<Integer, List<Box>> prompted = new HashMap<>();

  @Override
  public List<MaskOutcome> decode(final List<DecodeRequest> requests) {
    final List<MaskOutcome> out = new ArrayList<>();
    for (final DecodeRequest r : requests) {
      final String key = r.prompt().getSliceKey();
      final int z = Integer.parseInt(key.substring(key.lastIndexOf('/') + 1));
      prompted.computeIfAbsent(z, k -> new ArrayList<>()).add(r.prompt().getBox());
      final int h = r.embedding().getImageHeight();
      final int w = r.embedding().getImageWidth();
      final boolean[] px = new boolean[h * w];
      final int[] s = structure.get(z);
      if (s != null) {
        final Box b = r.prompt().getBox();
        for (int y = Math.max(s[1], (int) Math.ceil(b.getY0()));
            y <= Math.min(s[3], (int) Math.floor(b.getY1()));
            y++) {
          for (int x = Math.max(s[0], (int) Math.ceil(b.getX0()));
              x <= Math.min(s[2], (int) Math.floor(b.getX1()));
              x++) {
            px[y * w + x] = true;
          }
        }
      }
      out.add(new MaskOutcome.Decoded(new BinaryMask(px, h, w), 0.9f, VERSION, 1.0));
    }
    return out;
  }
}
