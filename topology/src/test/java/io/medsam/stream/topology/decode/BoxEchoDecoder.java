package io.medsam.stream.topology.decode;

import io.medsam.stream.avro.Box;
import io.medsam.stream.imaging.mask.BinaryMask;
import java.util.ArrayList;
import java.util.List;

/**
 * Deterministic test implementation of the {@link MaskDecoder} interface (the topology module has
 * no ML runtime): the mask of a prompt is its box (columns x0 to x1, rows y0 to y1, exclusive) on
 * the embedding's H x W image, so a result shows which prompt and which embedding it was decoded
 * from. A prompt labelled {@value #EXPLODE} fails its batch.
 */
final class BoxEchoDecoder implements MaskDecoder {

  static final String EXPLODE = "explode";
  static final String VERSION = "echo-weights-1";

  final List<Integer> batchSizes = new ArrayList<>();

  @Override
  public List<MaskOutcome> decode(final List<DecodeRequest> requests) throws MaskDecodingException {
    batchSizes.add(requests.size());
    final List<MaskOutcome> out = new ArrayList<>();
    for (final DecodeRequest r : requests) {
      if (EXPLODE.equals(r.prompt().getLabel())) {
        throw new MaskDecodingException("decoder exploded on " + r.prompt().getPromptId());
      }
      final int h = r.embedding().getImageHeight();
      final int w = r.embedding().getImageWidth();
      final Box b = r.prompt().getBox();
      final boolean[] px = new boolean[h * w];
      for (int y = (int) Math.floor(b.getY0()); y < Math.min(h, Math.ceil(b.getY1())); y++) {
        for (int x = (int) Math.floor(b.getX0()); x < Math.min(w, Math.ceil(b.getX1())); x++) {
          px[y * w + x] = true;
        }
      }
      out.add(new MaskOutcome.Decoded(new BinaryMask(px, h, w), 0.5f, VERSION, 1.0));
    }
    return out;
  }
}
