package io.medsam.stream.encoder;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import io.medsam.stream.bundle.BundleFormatException;
import io.medsam.stream.bundle.ModelBundle;
import java.nio.FloatBuffer;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ONNX Runtime session of a bundle's {@code encoder.onnx}: model inputs [N,3,S,S] in [0,1] to
 * image embeddings [N,C,h,w]. Runs the graph sequentially with fixed thread counts so the same
 * input gives the same output bits on the same machine. Not thread-safe for concurrent {@link
 * #encode} calls from several threads sharing one result buffer; each call allocates.
 */
public final class ImageEncoderSession implements AutoCloseable {

  /** Input name fixed by the bundle contract. */
  public static final String INPUT = "image";

  /** Output name fixed by the bundle contract. */
  public static final String OUTPUT = "image_embeddings";

  private static final Logger LOG = LoggerFactory.getLogger(ImageEncoderSession.class);

  private final OrtEnvironment environment;
  private final OrtSession session;
  private final ModelBundle bundle;
  private final ExecutionProvider provider;
  private final EncoderSessionOptions options;

  private ImageEncoderSession(
      final OrtEnvironment environment,
      final OrtSession session,
      final ModelBundle bundle,
      final ExecutionProvider provider,
      final EncoderSessionOptions options) {
    this.environment = environment;
    this.session = session;
    this.bundle = bundle;
    this.provider = provider;
    this.options = options;
  }

  /**
   * Opens the encoder of {@code bundle}: CUDA when asked for, compiled in and working, else CPU.
   *
   * @throws BundleException when ONNX Runtime cannot load the encoder file
   */
  public static ImageEncoderSession open(
      final ModelBundle bundle, final EncoderSessionOptions options) throws BundleException {
    final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions sessionOptions = new OrtSession.SessionOptions()) {
      sessionOptions.setIntraOpNumThreads(options.intraOpThreads());
      sessionOptions.setInterOpNumThreads(options.interOpThreads());
      sessionOptions.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      sessionOptions.setDeterministicCompute(true);
      final ExecutionProvider provider = chooseProvider(sessionOptions, options);
      final OrtSession session =
          environment.createSession(encoderFile(bundle).toString(), sessionOptions);
      LOG.info(
          "image encoder {} on {} (intra-op threads {}, inter-op threads {}, ORT {})",
          bundle.encoderModelId(),
          provider,
          options.intraOpThreads(),
          options.interOpThreads(),
          environment.getVersion());
      return new ImageEncoderSession(environment, session, bundle, provider, options);
    } catch (OrtException e) {
      throw new BundleException(
          "ONNX Runtime cannot load " + encoderFile(bundle) + ": " + e.getMessage(), e);
    }
  }

  private static java.nio.file.Path encoderFile(final ModelBundle bundle) throws BundleException {
    try {
      return bundle.encoderModel();
    } catch (final BundleFormatException e) {
      throw new BundleException(e.getMessage(), e);
    }
  }

  private static ExecutionProvider chooseProvider(
      final OrtSession.SessionOptions sessionOptions, final EncoderSessionOptions options) {
    if (!options.preferCuda()) {
      return ExecutionProvider.CPU;
    }
    if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
      LOG.info("CUDA execution provider not in this ONNX Runtime build (use -Pgpu); using CPU");
      return ExecutionProvider.CPU;
    }
    try {
      sessionOptions.addCUDA(options.cudaDevice());
      return ExecutionProvider.CUDA;
    } catch (OrtException | UnsatisfiedLinkError e) {
      LOG.warn("CUDA execution provider failed to start ({}); using CPU", e.getMessage());
      return ExecutionProvider.CPU;
    }
  }

  /**
   * Encodes {@code count} images packed as [count,3,S,S] floats.
   *
   * @param images count*3*S*S values in [0,1], channel-major per image
   * @param count N, the batch size
   * @return count*C*h*w embedding values, image after image
   * @throws EncoderException when ONNX Runtime fails or returns an unexpected shape
   */
  public float[] encode(final float[] images, final int count) throws EncoderException {
    final int s = bundle.imageSize();
    final long perImage = 3L * s * s;
    if (count < 1 || images.length != perImage * count) {
      throw new EncoderException(
          "expected " + count + " x 3 x " + s + " x " + s + " floats, got " + images.length);
    }
    // ONNX Runtime's CPU kernels take another path for a batch of one (about 1e-6 apart, enough
    // to flip some float16 roundings), while batches of two or more give every image the same
    // bits whatever its batch and position. A lone image is therefore run next to a copy of
    // itself, so that a slice re-encoded after a redelivery yields the same bytes.
    final int runCount = count == 1 ? 2 : count;
    final float[] input = count == 1 ? padWithCopy(images) : images;
    final long[] shape = {runCount, 3, s, s};
    try (OnnxTensor tensor = OnnxTensor.createTensor(environment, FloatBuffer.wrap(input), shape);
        OrtSession.Result result = session.run(Map.of(INPUT, tensor))) {
      final OnnxValue value =
          result.get(OUTPUT).orElseThrow(() -> new EncoderException("no output " + OUTPUT));
      final FloatBuffer out = ((OnnxTensor) value).getFloatBuffer();
      final int expected = count * bundle.embeddingSize();
      if (out.remaining() != runCount * bundle.embeddingSize()) {
        throw new EncoderException(
            "encoder returned "
                + out.remaining()
                + " values, expected "
                + runCount * bundle.embeddingSize());
      }
      final float[] embeddings = new float[expected];
      out.get(embeddings);
      return embeddings;
    } catch (OrtException e) {
      throw new EncoderException("encoder run failed for a batch of " + count, e);
    }
  }

  private static float[] padWithCopy(final float[] image) {
    final float[] twice = new float[image.length * 2];
    System.arraycopy(image, 0, twice, 0, image.length);
    System.arraycopy(image, 0, twice, image.length, image.length);
    return twice;
  }

  /** The bundle this session runs. */
  public ModelBundle bundle() {
    return bundle;
  }

  /** {@link ModelBundle#encoderModelId()}. */
  public String encoderModelId() {
    return bundle.encoderModelId();
  }

  /** The execution provider actually in use. */
  public ExecutionProvider provider() {
    return provider;
  }

  /** The options the session was opened with. */
  public EncoderSessionOptions options() {
    return options;
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      LOG.warn("closing the encoder session failed: {}", e.getMessage());
    }
  }
}
