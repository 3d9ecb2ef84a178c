package io.medsam.stream.trainer.demo;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.bundle.BundleFormatException;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.imaging.Slice2D;
import io.medsam.stream.imaging.preprocess.ModelInput;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The bundle's image encoder for the demonstration, run in-process with ONNX Runtime on the shared
 * preprocessing (imaging: 8-bit slice, 3 channels, resize, min-max), so that the demonstration
 * needs no encoder-worker. Produces float32 {@link SliceEmbedding}s.
 */
final class SliceEncoder implements AutoCloseable {

  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;
  private final ModelBundle bundle;

  SliceEncoder(final ModelBundle bundle, final int threads)
      throws OrtException, BundleFormatException {
    this.bundle = bundle;
    final OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setIntraOpNumThreads(threads);
    options.setInterOpNumThreads(1);
    this.session = env.createSession(bundle.encoderModel().toString(), options);
  }

  SliceEmbedding encode(final String sliceKey, final Slice2D slice) throws OrtException {
    final int s = bundle.imageSize();
    final float[] input = ModelInput.build(slice, s, bundle.resize());
    try (OnnxTensor in =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] {1, 3, s, s});
        OrtSession.Result out = session.run(Map.of("image", in))) {
      final FloatBuffer values = ((OnnxTensor) out.get(0)).getFloatBuffer();
      final ByteBuffer data =
          ByteBuffer.allocate(values.remaining() * 4).order(ByteOrder.LITTLE_ENDIAN);
      data.asFloatBuffer().put(values);
      final int[] e = bundle.embeddingShapeArray();
      return SliceEmbedding.newBuilder()
          .setSliceKey(sliceKey)
          .setSeriesUid(sliceKey.substring(0, sliceKey.indexOf('/')))
          .setEncoderModelId(bundle.id() + "@" + bundle.version())
          .setShape(List.of(e[0], e[1], e[2]))
          .setDtype("float32")
          .setData(data)
          .setImageHeight(slice.height())
          .setImageWidth(slice.width())
          .setPixelSpacingRow(slice.rowSpacing())
          .setPixelSpacingCol(slice.colSpacing())
          .setEncodeMillis(0)
          .setEncodedAt(Instant.now())
          .build();
    }
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
