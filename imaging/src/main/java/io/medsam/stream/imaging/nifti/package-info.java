/**
 * NIfTI-1 reading (.nii and gzip-compressed .nii.gz, either byte order): header parsing, voxel
 * decoding with scl_slope/scl_inter, spacing from pixdim and the sform/qform affine.
 */
package io.medsam.stream.imaging.nifti;
