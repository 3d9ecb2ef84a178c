package io.medsam.stream.decoder;

import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.MaskStatus;
import io.medsam.stream.avro.RleMask;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.decoder.session.DecoderOutput;
import io.medsam.stream.decoder.session.DecoderSessionException;
import io.medsam.stream.decoder.session.DecoderSessions;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.imaging.mask.CocoRle;
import io.medsam.stream.imaging.mask.LogitUpsampler;
import io.medsam.stream.imaging.preprocess.ModelSpace;
import io.medsam.stream.imaging.preprocess.PixelBox;
import io.medsam.stream.topology.decode.DecodeRequest;
import io.medsam.stream.topology.decode.MaskDecoder;
import io.medsam.stream.topology.decode.MaskDecodingException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The bundle's decoder in ONNX Runtime behind the topology's {@link MaskDecoder} interface: float16
 * embeddings widened to float32, boxes mapped to model space, one decoder run for the whole batch
 * on the current (hot-swappable) session, then per prompt: logits upsampled to H x W, thresholded
 * at 0, COCO RLE, bbox, area, predicted IoU as score, encoder model id and the weights version of
 * the session that ran the batch.
 */
public final class OnnxMaskDecoder implements MaskDecoder {

  private final ModelBundle bundle;
  private final DecoderSessions sessions;
  private final int embeddingSize;

  /**
   * @param bundle the bundle whose decoder the sessions run
   * @param sessions the current decoder session, swappable
   */
  public OnnxMaskDecoder(final ModelBundle bundle, final DecoderSessions sessions) {
    this.bundle = bundle;
    this.sessions = sessions;
    this.embeddingSize = bundle.embeddingShape().stream().reduce(1, (a, b) -> a * b);
  }

  @Override
  public List<MaskResult> decode(final List<DecodeRequest> requests) throws MaskDecodingException {
    final MaskResult[] results = new MaskResult[requests.size()];
    final List<Integer> runnable = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      final SliceEmbedding e = requests.get(i).embedding();
      if (!bundle.embeddingShape().equals(e.getShape())) {
        results[i] =
            failed(
                requests.get(i),
                "embedding shape "
                    + e.getShape()
                    + " does not fit decoder "
                    + bundle.id()
                    + " (wants "
                    + bundle.embeddingShape()
                    + ")");
      } else {
        runnable.add(i);
      }
    }
    if (!runnable.isEmpty()) {
      run(requests, runnable, results);
    }
    return Arrays.asList(results);
  }

  private void run(
      final List<DecodeRequest> requests, final List<Integer> runnable, final MaskResult[] results)
      throws MaskDecodingException {
    final int n = runnable.size();
    final float[] embeddings = new float[n * embeddingSize];
    final float[] boxModel = new float[n * 4];
    final ModelSpace[] spaces = new ModelSpace[n];
    for (int k = 0; k < n; k++) {
      final DecodeRequest r = requests.get(runnable.get(k));
      Float16.toFloats(r.embedding().getData(), embeddings, k * embeddingSize);
      spaces[k] = modelSpace(r.embedding());
      final io.medsam.stream.avro.Box b = r.prompt().getBox();
      final float[] mapped =
          spaces[k].toModel(new PixelBox(b.getX0(), b.getY0(), b.getX1(), b.getY1())).toFloats();
      System.arraycopy(mapped, 0, boxModel, k * 4, 4);
    }
    try (DecoderSessions.Lease lease = sessions.acquire()) {
      final long start = System.nanoTime();
      final DecoderOutput out = lease.session().run(embeddings, boxModel, n);
      final String version = lease.session().weightsVersion();
      for (int k = 0; k < n; k++) {
        final DecodeRequest r = requests.get(runnable.get(k));
        final BinaryMask mask = LogitUpsampler.toMask(out.logits(k), out.lowResSize(), spaces[k]);
        final double millis = (System.nanoTime() - start) / 1e6;
        results[runnable.get(k)] = ok(r, mask, out.iouPredictions()[k], version, millis);
      }
    } catch (final DecoderSessionException e) {
      throw new MaskDecodingException(e.getMessage(), e);
    }
  }

  private ModelSpace modelSpace(final SliceEmbedding e) {
    return new ModelSpace(
        e.getImageHeight(), e.getImageWidth(), bundle.imageSize(), bundle.resize());
  }

  private MaskResult ok(
      final DecodeRequest r,
      final BinaryMask m,
      final float iou,
      final String version,
      final double millis) {
    final List<Float> bbox = new ArrayList<>(4);
    for (final float v : m.cocoBbox()) {
      bbox.add(v);
    }
    return MaskResult.newBuilder()
        .setPromptId(r.prompt().getPromptId())
        .setSliceKey(r.prompt().getSliceKey())
        .setStatus(MaskStatus.OK)
        .setMask(new RleMask(m.height(), m.width(), CocoRle.encode(m).toCompressedString()))
        .setBbox(bbox)
        .setArea(m.area())
        .setScore(iou)
        .setLabel(r.prompt().getLabel())
        .setEncoderModelId(r.embedding().getEncoderModelId())
        .setDecoderWeightsVersion(version)
        .setDecodeMillis(millis)
        .setProducedAt(Instant.now())
        .build();
  }

  private MaskResult failed(final DecodeRequest r, final String reason) {
    return MaskResult.newBuilder()
        .setPromptId(r.prompt().getPromptId())
        .setSliceKey(r.prompt().getSliceKey())
        .setStatus(MaskStatus.ERROR)
        .setReason(reason)
        .setLabel(r.prompt().getLabel())
        .setEncoderModelId(r.embedding().getEncoderModelId())
        .setDecoderWeightsVersion(sessions.currentVersion())
        .setProducedAt(Instant.now())
        .build();
  }
}
