package io.medsam.stream.imaging.scan;

/** The kinds of input the imaging module reads. */
public enum ScanFormat {
  /** A NIfTI-1 file (.nii or gzip-compressed). */
  NIFTI,
  /** A single DICOM file. */
  DICOM,
  /** A folder of DICOM files of one series. */
  DICOM_SERIES,
  /** A 2D PNG or JPEG image. */
  RASTER;

  /** Whether the format yields a {@link io.medsam.stream.imaging.Volume}. */
  public boolean isVolume() {
    return this != RASTER;
  }
}
