/**
 * The decoder as the trainer sees it: the bundle's TorchScript decoder (read with the shared {@code
 * io.medsam.stream.bundle.ModelBundle}) loaded with DJL's PyTorch engine with only the mask-decoder
 * parameters trainable, and the float16 embedding tensors it takes.
 */
package io.medsam.stream.trainer.model;
