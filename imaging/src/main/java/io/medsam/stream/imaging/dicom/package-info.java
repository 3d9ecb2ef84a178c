/**
 * A focused DICOM reader: Part-10 files (and bare data sets) in the uncompressed little-endian
 * transfer syntaxes, the attributes needed to build a volume, pixel decoding with the modality
 * rescale, and series assembly. Compressed and big-endian transfer syntaxes are refused by name.
 */
package io.medsam.stream.imaging.dicom;
