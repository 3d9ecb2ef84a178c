/**
 * The decoder as the trainer sees it: the bundle manifest, the mapping between original pixels
 * and model space, and the TorchScript decoder loaded with DJL's PyTorch engine with only the
 * mask-decoder parameters trainable.
 */
package io.medsam.stream.trainer.model;
