/**
 * Medical image I/O and the MedSAM pre- and post-processing, in plain Java (no Kafka, no ML
 * runtime).
 *
 * <p>Core value types live here: {@link io.medsam.stream.imaging.Volume} (a 3D scan as float voxels
 * with spacing and affine), {@link io.medsam.stream.imaging.Slice2D} (a normalized 8-bit image),
 * {@link io.medsam.stream.imaging.SliceAxis}, and the typed {@link
 * io.medsam.stream.imaging.ImageFormatException}. {@link io.medsam.stream.imaging.ScanReader}
 * detects the format of a file or folder and dispatches to the readers in the sub-packages.
 */
package io.medsam.stream.imaging;
