/**
 * The 3D walk (issue 16): a VolumePrompt (3D box on a series) becomes one BoxPrompt per slice,
 * walked from the middle slice up to z1 and down to z0 through medsam.prompts.v1 and
 * medsam.masks.v1, each prompted with the box of its neighbour's mask (LiteMedSAM's {@code
 * MedSAM_infer_npz_3D}), and answered with one VolumeMask. Kafka Streams, no ML runtime.
 */
package io.medsam.stream.topology.walk;
