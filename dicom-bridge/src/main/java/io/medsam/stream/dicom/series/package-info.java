/** A volume written as a DICOM series of single-frame MR or CT images (test data). */
package io.medsam.stream.dicom.series;
