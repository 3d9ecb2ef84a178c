package io.medsam.stream.imaging;

/**
 * What a reader learned about a scan besides its voxels.
 *
 * @param modality DICOM modality code (CT, MR, PT, ...) or "OT" when the format does not say
 * @param seriesUid DICOM SeriesInstanceUID, or an id derived from the file name
 * @param source file or folder the scan was read from
 * @param description free text (NIfTI descrip, DICOM SeriesDescription), may be empty
 */
public record ScanMetadata(String modality, String seriesUid, String source, String description) {

  /** Modality used when a format does not record one. */
  public static final String UNKNOWN_MODALITY = "OT";

  /** Rejects nulls. */
  public ScanMetadata {
    if (modality == null || seriesUid == null || source == null || description == null) {
      throw new IllegalArgumentException("scan metadata fields must not be null");
    }
  }

  /** True for computed tomography, which is windowed in Hounsfield units. */
  public boolean isCt() {
    return "CT".equalsIgnoreCase(modality);
  }

  /** A copy with another modality (e.g. set by the user for NIfTI files). */
  public ScanMetadata withModality(final String newModality) {
    return new ScanMetadata(newModality, seriesUid, source, description);
  }
}
