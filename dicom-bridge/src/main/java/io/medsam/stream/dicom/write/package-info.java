/**
 * Writes DICOM: data sets in explicit VR little endian ({@link
 * io.medsam.stream.dicom.write.DicomElements}), Part-10 files, new UIDs, and a volume as a series
 * of single-frame images (test data, and scans published from files).
 */
package io.medsam.stream.dicom.write;
