/**
 * DICOM Segmentation (SEG) out: {@link io.medsam.stream.dicom.seg.SegmentationWriter} writes the
 * masks of a series, described by {@link io.medsam.stream.dicom.seg.SourceSeries}, as one binary
 * SEG object; {@link io.medsam.stream.dicom.seg.SegmentationSource} puts the pipeline's slice masks
 * (any axis) onto a DICOM source's instances and refuses sources without DICOM UIDs.
 */
package io.medsam.stream.dicom.seg;
