package io.medsam.stream.topology.decode;

import io.medsam.stream.avro.Box;
import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.MaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Deterministic test implementation of the {@link MaskDecoder} interface (the topology module has
 * no ML runtime): the "mask" of a prompt is its box, so a result shows which prompt and which
 * embedding it was decoded from. A prompt labelled {@value #EXPLODE} fails its batch.
 */
final class BoxEchoDecoder implements MaskDecoder {

  static final String EXPLODE = "explode";
  static final String VERSION = "echo-weights-1";

  final List<Integer> batchSizes = new ArrayList<>();

  @Override
  public List<MaskResult> decode(final List<DecodeRequest> requests) throws MaskDecodingException {
    batchSizes.add(requests.size());
    final List<MaskResult> out = new ArrayList<>();
    for (final DecodeRequest r : requests) {
      if (EXPLODE.equals(r.prompt().getLabel())) {
        throw new MaskDecodingException("decoder exploded on " + r.prompt().getPromptId());
      }
      final Box b = r.prompt().getBox();
      out.add(
          MaskResult.newBuilder()
              .setPromptId(r.prompt().getPromptId())
              .setSliceKey(r.prompt().getSliceKey())
              .setStatus(MaskStatus.OK)
              .setBbox(List.of(b.getX0(), b.getY0(), b.getX1() - b.getX0(), b.getY1() - b.getY0()))
              .setArea((long) ((b.getX1() - b.getX0()) * (b.getY1() - b.getY0())))
              .setScore(0.5f)
              .setEncoderModelId(r.embedding().getEncoderModelId())
              .setDecoderWeightsVersion(VERSION)
              .setProducedAt(Instant.EPOCH)
              .build());
    }
    return out;
  }
}
