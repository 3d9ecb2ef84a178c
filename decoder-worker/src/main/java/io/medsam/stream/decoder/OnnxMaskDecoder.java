package io.medsam.stream.decoder;

import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.bundle.DecoderBatch;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.decoder.session.DecoderOutput;
import io.medsam.stream.decoder.session.DecoderSessionException;
import io.medsam.stream.decoder.session.DecoderSessions;
import io.medsam.stream.records.Boxes;
import io.medsam.stream.records.EmbeddingTensor;
import io.medsam.stream.records.InvalidEmbeddingException;
import io.medsam.stream.topology.decode.DecodeRequest;
import io.medsam.stream.topology.decode.MaskDecoder;
import io.medsam.stream.topology.decode.MaskDecodingException;
import io.medsam.stream.topology.decode.MaskOutcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The bundle's decoder in ONNX Runtime behind the topology's {@link MaskDecoder} interface:
 * embeddings read as float32 and boxes mapped to model space (records, {@link DecoderBatch}), one
 * decoder run for the whole batch on the current (hot-swappable) session, then per prompt the
 * logits upsampled to H x W and thresholded at 0, with the predicted IoU as score and the weights
 * version of the session that ran the batch. The topology turns each outcome into a MaskResult.
 */
public final class OnnxMaskDecoder implements MaskDecoder {

  private final ModelBundle bundle;
  private final DecoderSessions sessions;

  /**
   * @param bundle the bundle whose decoder the sessions run
   * @param sessions the current decoder session, swappable
   */
  public OnnxMaskDecoder(final ModelBundle bundle, final DecoderSessions sessions) {
    this.bundle = bundle;
    this.sessions = sessions;
  }

  @Override
  public List<MaskOutcome> decode(final List<DecodeRequest> requests) throws MaskDecodingException {
    final MaskOutcome[] outcomes = new MaskOutcome[requests.size()];
    final List<Integer> runnable = new ArrayList<>(requests.size());
    final List<EmbeddingTensor> tensors = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      final SliceEmbedding e = requests.get(i).embedding();
      if (!bundle.embeddingShape().equals(e.getShape())) {
        outcomes[i] =
            failed(
                "embedding shape "
                    + e.getShape()
                    + " does not fit decoder "
                    + bundle.id()
                    + " (wants "
                    + bundle.embeddingShape()
                    + ")");
        continue;
      }
      try {
        tensors.add(EmbeddingTensor.of(e));
        runnable.add(i);
      } catch (final InvalidEmbeddingException ex) {
        outcomes[i] = failed(ex.getMessage());
      }
    }
    if (!runnable.isEmpty()) {
      run(requests, runnable, tensors, outcomes);
    }
    return Arrays.asList(outcomes);
  }

  private void run(
      final List<DecodeRequest> requests,
      final List<Integer> runnable,
      final List<EmbeddingTensor> tensors,
      final MaskOutcome[] outcomes)
      throws MaskDecodingException {
    final int n = runnable.size();
    final DecoderBatch batch = new DecoderBatch(bundle, n);
    for (int k = 0; k < n; k++) {
      final EmbeddingTensor t = tensors.get(k);
      batch.put(
          k,
          t::copyTo,
          Boxes.toPixelBox(requests.get(runnable.get(k)).prompt().getBox()),
          t.imageHeight(),
          t.imageWidth());
    }
    try (DecoderSessions.Lease lease = sessions.acquire()) {
      final long start = System.nanoTime();
      final DecoderOutput out = lease.session().run(batch.embeddings(), batch.boxes(), n);
      final String version = lease.session().weightsVersion();
      for (int k = 0; k < n; k++) {
        outcomes[runnable.get(k)] =
            new MaskOutcome.Decoded(
                bundle.maskRule().toMask(out.logits(k), out.lowResSize(), batch.modelSpace(k)),
                out.iouPredictions()[k],
                version,
                (System.nanoTime() - start) / 1e6);
      }
    } catch (final DecoderSessionException e) {
      throw new MaskDecodingException(e.getMessage(), e);
    }
  }

  private MaskOutcome failed(final String reason) {
    return new MaskOutcome.Failed(reason, sessions.currentVersion());
  }
}
