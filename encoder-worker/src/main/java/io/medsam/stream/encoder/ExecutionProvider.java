package io.medsam.stream.encoder;

/** Where ONNX Runtime runs the encoder. */
public enum ExecutionProvider {
  /** ONNX Runtime's default CPU kernels (MLAS). */
  CPU,
  /** NVIDIA CUDA; needs the onnxruntime_gpu artifact (Maven profile {@code gpu}) and a GPU. */
  CUDA
}
