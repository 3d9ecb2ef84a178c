/**
 * The encoder worker: batched ONNX Runtime image encoder (CUDA when present, else CPU) in a
 * transactional consume-transform-produce loop from medsam.slices.v1 to medsam.embeddings.v1.
 */
package io.medsam.stream.encoder;
