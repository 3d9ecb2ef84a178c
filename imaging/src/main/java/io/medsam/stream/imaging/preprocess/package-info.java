/**
 * MedSAM preprocessing (docs/architecture.md §3): intensity normalization to 8 bits (CT window or
 * percentile clip of positive voxels), slicing a volume along an axis with the team's slicing
 * convention, resizing, the model input tensor and box mapping between original pixels and model
 * space.
 *
 * <p>Resize rules ({@link io.medsam.stream.imaging.preprocess.ResizeRule}, the manifest's
 * "resize"): {@code stretch} and {@code longest-side-pad} resize bilinearly with PyTorch semantics
 * ({@link io.medsam.stream.imaging.preprocess.BilinearResize}). {@code medsam} reproduces
 * scikit-image's order-3 anti-aliased resize of MedSAM's script, uint8 (Gaussian on shrinking axes,
 * cubic B-spline with mirror boundary, clip, truncation; {@link
 * io.medsam.stream.imaging.preprocess.SplineResize}). {@code litemedsam} reproduces OpenCV's {@code
 * INTER_AREA} of LiteMedSAM's script to the longest side, uint8 ({@link
 * io.medsam.stream.imaging.preprocess.AreaResize}), zero-padded. Both reference rules then min-max
 * in double over all channels.
 */
package io.medsam.stream.imaging.preprocess;
