/**
 * The ingest worker: resolves a ScanEvent's source (NIfTI, DICOM file or series, PNG/JPEG), applies
 * the MedSAM intensity preprocessing, slices volumes along the requested axes and publishes one
 * ImageSlice per slice, transactionally; failures become dead letters.
 */
package io.medsam.stream.ingest;
