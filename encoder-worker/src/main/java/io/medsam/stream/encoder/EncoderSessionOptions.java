package io.medsam.stream.encoder;

/**
 * How to open an {@link ImageEncoderSession}.
 *
 * @param preferCuda try the CUDA execution provider first, falling back to CPU when unavailable
 * @param cudaDevice CUDA device ordinal
 * @param intraOpThreads threads inside one operator; fixed (never 0 = "all cores") so that runs are
 *     reproducible and the number is known when it is logged
 * @param interOpThreads threads across operators (graph runs sequentially, so 1 is enough)
 */
public record EncoderSessionOptions(
    boolean preferCuda, int cudaDevice, int intraOpThreads, int interOpThreads) {

  /** Validates thread counts. */
  public EncoderSessionOptions {
    if (intraOpThreads < 1 || interOpThreads < 1) {
      throw new IllegalArgumentException(
          "thread counts must be >= 1: intra " + intraOpThreads + ", inter " + interOpThreads);
    }
  }

  /** CPU only with the given number of intra-op threads. */
  public static EncoderSessionOptions cpu(final int intraOpThreads) {
    return new EncoderSessionOptions(false, 0, intraOpThreads, 1);
  }

  /** CUDA when present, else CPU using every available core for intra-op work. */
  public static EncoderSessionOptions defaults() {
    return new EncoderSessionOptions(true, 0, Runtime.getRuntime().availableProcessors(), 1);
  }
}
