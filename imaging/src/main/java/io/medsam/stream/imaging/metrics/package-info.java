/**
 * Segmentation metrics of the MedSAM evaluation: Dice similarity coefficient and normalized surface
 * distance (NSD) with a tolerance in millimetres on anisotropic 2D and 3D grids, built on an exact
 * separable Euclidean distance transform.
 */
package io.medsam.stream.imaging.metrics;
