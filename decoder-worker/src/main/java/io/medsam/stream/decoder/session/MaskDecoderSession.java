package io.medsam.stream.decoder.session;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.medsam.stream.bundle.BundleFormatException;
import io.medsam.stream.bundle.ModelBundle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ONNX Runtime session of a bundle's decoder.onnx, optionally with its initializers replaced by
 * other weights (SessionOptions.addExternalInitializers). Thread-safe for {@link #run}; closing it
 * releases the session, its options and the injected tensors.
 */
public final class MaskDecoderSession implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MaskDecoderSession.class);

  private final OrtEnvironment env;
  private final OrtSession session;
  private final OrtSession.SessionOptions options;
  private final List<OnnxTensor> injected;
  private final String weightsVersion;
  private final long[] embeddingShape;
  private final int lowResSize;

  private MaskDecoderSession(
      final OrtEnvironment env,
      final OrtSession session,
      final OrtSession.SessionOptions options,
      final List<OnnxTensor> injected,
      final String weightsVersion,
      final ModelBundle bundle) {
    this.env = env;
    this.session = session;
    this.options = options;
    this.injected = injected;
    this.weightsVersion = weightsVersion;
    this.embeddingShape = bundle.embeddingShape().stream().mapToLong(Integer::longValue).toArray();
    this.lowResSize = bundle.lowResSize();
  }

  /**
   * Opens a session of the bundle's decoder.
   *
   * @param bundle the model bundle
   * @param settings threads and graph optimization level
   * @param weights weights to inject, or empty for the bundle's own (version = bundle version)
   * @return the session
   * @throws DecoderSessionException when ONNX Runtime cannot create it
   */
  public static MaskDecoderSession open(
      final ModelBundle bundle,
      final SessionSettings settings,
      final Optional<ValidatedWeights> weights)
      throws DecoderSessionException {
    final OrtEnvironment env = OrtEnvironment.getEnvironment();
    final String version = weights.map(ValidatedWeights::version).orElse(bundle.version());
    OrtSession.SessionOptions options = null;
    final List<OnnxTensor> tensors = new java.util.ArrayList<>();
    try {
      options = new OrtSession.SessionOptions();
      if (settings.intraOpThreads() > 0) {
        options.setIntraOpNumThreads(settings.intraOpThreads());
      }
      if (settings.interOpThreads() > 0) {
        options.setInterOpNumThreads(settings.interOpThreads());
      }
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setOptimizationLevel(settings.optimization());
      if (weights.isPresent()) {
        final Map<String, OnnxTensorLike> byName = new LinkedHashMap<>();
        for (final ValidatedWeights.Tensor t : weights.get().tensors()) {
          final OnnxTensor tensor =
              OnnxTensor.createTensor(env, direct(t.data()), t.spec().shapeArray());
          tensors.add(tensor);
          byName.put(t.spec().name(), tensor);
        }
        options.addExternalInitializers(byName);
      }
      final long start = System.nanoTime();
      final OrtSession session = env.createSession(bundle.decoderModel().toString(), options);
      LOG.info(
          "decoder session of bundle {} {} with weights {} ({} injected initializers): intra-op threads {}, inter-op threads {}, graph optimization {}, opened in {} ms",
          bundle.id(),
          bundle.version(),
          version,
          tensors.size(),
          settings.intraOpThreads() == 0 ? "default" : settings.intraOpThreads(),
          settings.interOpThreads() == 0 ? "default" : settings.interOpThreads(),
          settings.optimization(),
          (System.nanoTime() - start) / 1_000_000);
      return new MaskDecoderSession(env, session, options, List.copyOf(tensors), version, bundle);
    } catch (final OrtException | BundleFormatException e) {
      tensors.forEach(OnnxTensor::close);
      if (options != null) {
        options.close();
      }
      throw new DecoderSessionException(
          "cannot open the decoder of bundle " + bundle.id() + ": " + e.getMessage(), e);
    }
  }

  /**
   * @return the version of the weights this session runs
   */
  public String weightsVersion() {
    return weightsVersion;
  }

  /**
   * Runs the decoder on a batch.
   *
   * @param embeddings N x C x h x w float32 values
   * @param boxes N x 4 boxes in model (S x S) space
   * @param count N
   * @return logits and IoU predictions
   * @throws DecoderSessionException when the run fails
   */
  public DecoderOutput run(final float[] embeddings, final float[] boxes, final int count)
      throws DecoderSessionException {
    final long[] eShape = {count, embeddingShape[0], embeddingShape[1], embeddingShape[2]};
    try (OnnxTensor e = OnnxTensor.createTensor(env, FloatBuffer.wrap(embeddings), eShape);
        OnnxTensor b =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(boxes), new long[] {count, 4});
        OrtSession.Result result = session.run(Map.of("image_embeddings", e, "boxes", b))) {
      final float[] logits = floats(result, "low_res_logits");
      final float[] iou = floats(result, "iou_predictions");
      final int plane = lowResSize * lowResSize;
      if (logits.length != count * plane || iou.length != count) {
        throw new DecoderSessionException(
            "decoder returned "
                + logits.length
                + " logits and "
                + iou.length
                + " IoUs for "
                + count
                + " prompts");
      }
      return new DecoderOutput(logits, iou, count, lowResSize);
    } catch (final OrtException ex) {
      throw new DecoderSessionException("decoder run failed: " + ex.getMessage(), ex);
    }
  }

  private static float[] floats(final OrtSession.Result result, final String name)
      throws DecoderSessionException {
    final Optional<OnnxValue> v = result.get(name);
    if (v.isEmpty() || !(v.get() instanceof OnnxTensor t)) {
      throw new DecoderSessionException("decoder has no tensor output " + name);
    }
    final FloatBuffer buf = t.getFloatBuffer();
    final float[] out = new float[buf.remaining()];
    buf.get(out);
    return out;
  }

  private static FloatBuffer direct(final ByteBuffer littleEndian) {
    final ByteBuffer copy =
        ByteBuffer.allocateDirect(littleEndian.remaining()).order(ByteOrder.nativeOrder());
    final FloatBuffer src = littleEndian.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    copy.asFloatBuffer().put(src);
    return copy.asFloatBuffer();
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (final OrtException e) {
      LOG.warn("closing decoder session {} failed: {}", weightsVersion, e.getMessage());
    }
    options.close();
    injected.forEach(OnnxTensor::close);
  }
}
