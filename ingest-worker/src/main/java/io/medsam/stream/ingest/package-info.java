/**
 * The ingest worker: resolves a ScanEvent's source (NIfTI, DICOM file or series, PNG/JPEG), applies
 * the MedSAM intensity preprocessing, slices volumes along the requested axes and publishes one
 * ImageSlice per slice, transactionally. Files are read only under the configured scan roots and
 * within the ingest limits; every failure of one scan becomes one dead letter, and no path or file
 * name leaves the worker in a record or a log line.
 */
package io.medsam.stream.ingest;
