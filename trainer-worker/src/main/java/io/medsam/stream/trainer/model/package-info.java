/**
 * The decoder as the trainer sees it: the bundle's TorchScript decoder (read with the shared {@code
 * io.medsam.stream.bundle.ModelBundle}) loaded with DJL's PyTorch engine with only the mask-decoder
 * parameters trainable. Embeddings are read through {@code io.medsam.stream.records}.
 */
package io.medsam.stream.trainer.model;
