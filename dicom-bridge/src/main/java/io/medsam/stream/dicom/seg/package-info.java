/**
 * DICOM Segmentation (SEG) out: {@link io.medsam.stream.dicom.seg.SegmentationWriter} writes the
 * masks of a series, described by {@link io.medsam.stream.dicom.seg.SourceSeries}, as one binary
 * SEG object.
 */
package io.medsam.stream.dicom.seg;
