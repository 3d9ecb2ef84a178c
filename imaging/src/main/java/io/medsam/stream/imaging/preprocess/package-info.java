/**
 * MedSAM preprocessing (docs/architecture.md §3): intensity normalization to 8 bits (CT window or
 * percentile clip of positive voxels), slicing a volume along an axis with the team's slicing
 * convention, bilinear resizing with PyTorch semantics, the model input tensor and box mapping
 * between original pixels and model space.
 */
package io.medsam.stream.imaging.preprocess;
